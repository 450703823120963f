"""Writes for public accounts: questions in and out of the window, moderation, answers and their public
document, phases and reminders. Keyword-only, one transaction each, refusals as exceptions that write nothing;
notifications go through the engine's outbox in the same transaction."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Collection
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac

from engine import search
from engine.files import file_attach
from engine.pdf import html_to_pdf
from participants import services as participant_services
from participants.choices import ConsentChannel
from participants.models import Participant, User
from public_accounts import notifications, selectors
from public_accounts.models import (
    AnswersDocument,
    AnswerState,
    Channel,
    EmailConfirmation,
    Kind,
    PublicAccount,
    Question,
    QuestionNote,
    Section,
    Status,
)


class WindowClosed(Exception):
    """Questions are received only while the account's questions window is open; nothing was stored."""


class InvalidQuestion(ValueError):
    """Empty, too long, or about a section of another account; nothing was stored."""


class ModerationRefused(ValueError):
    """A merge into itself or into a question that is not accepted, or a rejection without a reason."""


class AnswerRefused(ValueError):
    """An answer cannot be approved empty or changed once published."""


class NothingToPublish(Exception):
    """No approved answer waits for publication."""


def text_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).casefold().encode()).hexdigest()


def _check_text(*, account: PublicAccount, text: str, section: Section | None) -> str:
    text = text.strip()
    if not text:
        raise InvalidQuestion("empty")
    if len(text) > settings.PUBLIC_ACCOUNT_QUESTION_MAX_LENGTH:
        raise InvalidQuestion("too long")
    if section is not None and section.account_id != account.pk:
        raise InvalidQuestion("section of another account")
    return text


def _insert_once(**fields) -> Question:
    """The same person's same text to the same account is stored once, even from two requests at once."""
    try:
        with transaction.atomic():
            return Question.objects.create(**fields)
    except IntegrityError:
        return Question.objects.get(
            account=fields["account"], participant=fields["participant"], text_hash=fields["text_hash"]
        )


def question_submit(
    *,
    account: PublicAccount,
    participant: Participant,
    text: str,
    language: str,
    kind: str = Kind.QUESTION,
    section: Section | None = None,
    topic: str = "",
    contact: str = "",
    now: datetime | None = None,
) -> Question:
    """An online question or observation, while the window is open (``WindowClosed`` otherwise)."""
    text = _check_text(account=account, text=text, section=section)
    now = now or timezone.now()
    if account.phase_at(now) != "questions" or not account.accepts_online_questions:
        raise WindowClosed(account.phase_at(now))
    return _insert_once(
        account=account,
        participant=participant,
        text=text,
        text_hash=text_hash(text),
        language=language if language in dict(settings.LANGUAGES) else "es",
        kind=kind,
        section=section,
        topic=topic.strip()[:120],
        contact=contact,
        channel=Channel.ONLINE,
        created_at=now,
    )


def question_record_in_person(
    *,
    account: PublicAccount,
    staff: User,
    text: str,
    language: str = "es",
    kind: str = Kind.QUESTION,
    section: Section | None = None,
    topic: str = "",
    contact: str = "",
    attributes: dict | None = None,
    consented: Collection[str] = (),
    asked_at: datetime | None = None,
) -> Question:
    """A question asked at the presentation (on paper or aloud), typed in by staff: a Participant without
    an account, the "in person" channel, an optional contact for delivering the answer."""
    text = _check_text(account=account, text=text, section=section)
    with transaction.atomic():
        participant = participant_services.participant_record(
            consented=set(consented), channel=ConsentChannel.STAFF, recorded_by=staff, **(attributes or {})
        )
        return Question.objects.create(
            account=account,
            participant=participant,
            text=text,
            text_hash=text_hash(text),
            language=language,
            kind=kind,
            section=section,
            topic=topic.strip()[:120],
            contact=contact.strip(),
            channel=Channel.IN_PERSON,
            recorded_by=staff,
            created_at=asked_at or timezone.now(),
        )


# --- One-time email links ----------------------------------------------------------------------------------


def email_confirmation_create(*, account: PublicAccount, email: str) -> EmailConfirmation:
    return EmailConfirmation.objects.create(account=account, email=email.strip().lower(), nonce=uuid.uuid4())


LINK_DOUBLE_CLICK_WINDOW = timedelta(seconds=10)


def email_confirmation_use(
    *, account: PublicAccount, nonce, max_age: timedelta, browser_secret: str = ""
) -> str | None:
    """Consume a one-time link; the email it confirms, or None if unknown, used or expired. The browser that
    used it gets in again for a few seconds (a double click), nobody else."""
    now = timezone.now()
    browser = (
        salted_hmac("public_accounts.link-browser", browser_secret).hexdigest() if browser_secret else ""
    )
    with transaction.atomic():
        confirmation = (
            EmailConfirmation.objects.select_for_update().filter(account=account, nonce=nonce).first()
        )
        if confirmation is None or confirmation.created_at < now - max_age:
            return None
        if confirmation.used_at is not None:
            same_click = (
                browser
                and confirmation.used_by == browser
                and confirmation.used_at > now - LINK_DOUBLE_CLICK_WINDOW
            )
            return confirmation.email if same_click else None
        confirmation.used_at, confirmation.used_by = now, browser
        confirmation.save(update_fields=["used_at", "used_by"])
        return confirmation.email


# --- Handling ----------------------------------------------------------------------------------------------


def question_moderate(
    *,
    question: Question,
    status: str,
    by: User | None = None,
    merged_into: Question | None = None,
    reason: str = "",
) -> Question:
    """Accept, merge into a duplicate (the author sees which) or reject with a reason the author reads."""
    if status not in Status.values:
        raise ModerationRefused(status)
    if status == Status.MERGED:
        if (
            merged_into is None
            or merged_into.pk == question.pk
            or merged_into.account_id != question.account_id
        ):
            raise ModerationRefused("merge target")
        if merged_into.status != Status.ACCEPTED:
            raise ModerationRefused("merge target not accepted")
    if status == Status.REJECTED and not reason.strip():
        raise ModerationRefused("reason")
    with transaction.atomic():
        previous = question.status
        question.status = status
        question.merged_into = merged_into if status == Status.MERGED else None
        question.rejection_reason = reason.strip() if status == Status.REJECTED else ""
        if status == Status.REJECTED:
            for code, _name in settings.LANGUAGES:
                setattr(question, f"rejection_reason_{code}", reason.strip() if code == "es" else "")
        if status == Status.ACCEPTED and question.due_date is None:
            question.due_date = question.account.answer_deadline
        question.save()
        if previous != status and status in (Status.MERGED, Status.REJECTED):
            notifications.question_moderated(question=question)
    return question


def question_assign(
    *, question: Question, unit: Group | None, due_date: date | None = None, by: User | None = None
) -> Question:
    """Give the question to an answering unit; the due date defaults to the account's answer deadline."""
    question.unit = unit
    question.due_date = due_date or question.due_date or question.account.answer_deadline
    question.save(update_fields=["unit", "due_date"])
    return question


def answer_draft(*, question: Question, answers: dict[str, str], by: User | None = None) -> Question:
    """Write (or correct) the answer in one or more languages; an approved answer goes back to draft."""
    if question.answer_state == AnswerState.PUBLISHED:
        raise AnswerRefused("published")
    if question.status != Status.ACCEPTED:
        raise AnswerRefused("not accepted")
    for code, text in answers.items():
        setattr(question, f"answer_{code}", text.strip())
    question.answer_state = (
        AnswerState.DRAFT if any(t.strip() for t in answers.values()) else AnswerState.NONE
    )
    question.approved_by = None
    question.save()
    return question


def _spanish_answer(question: Question) -> str:
    # modeltranslation adds the per-language columns at start-up, where type checkers do not see them.
    return getattr(question, "answer_es", "") or ""


def answer_approve(*, question: Question, by: User) -> Question:
    if question.answer_state == AnswerState.PUBLISHED:
        raise AnswerRefused("published")
    if question.status != Status.ACCEPTED or not _spanish_answer(question).strip():
        raise AnswerRefused("empty")
    question.answer_state = AnswerState.APPROVED
    question.approved_by = by
    question.save(update_fields=["answer_state", "approved_by"])
    return question


def note_add(*, question: Question, author: User, text: str) -> QuestionNote:
    return QuestionNote.objects.create(question=question, author=author, text=text.strip())


# --- The answers document ----------------------------------------------------------------------------------


def _build_document(*, account: PublicAccount, version: int, now: datetime) -> AnswersDocument:
    groups = selectors.answers_by_section(account)
    with translation.override("es"):
        html = render_to_string(
            "public_accounts/answers_pdf.html",
            {"account": account, "groups": groups, "version": version, "published_at": now},
        )
    document = AnswersDocument(
        account=account,
        version=version,
        published_at=now,
        question_count=sum(len(group.questions) for group in groups),
    )
    file_attach(
        instance=document,
        field="file",
        content=html_to_pdf(html),
        name=f"respuestas-cuenta-publica-{account.year}-v{version}-{now:%Y-%m-%d}.pdf",
    )
    document.save()
    return document


def answers_publish_all(
    *, account: PublicAccount, by: User | None = None, now: datetime | None = None
) -> AnswersDocument:
    """Publish every approved answer at once and build the next dated version of the answers document, which
    lists every published answer exactly once. Authors hear in their language; the account's followers hear
    that answers are out. ``NothingToPublish`` when no approved answer waits."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = PublicAccount.objects.select_for_update().get(pk=account.pk)
        approved = list(
            Question.objects.select_for_update(of=("self",))
            .filter(account=locked, status=Status.ACCEPTED, answer_state=AnswerState.APPROVED)
            .select_related("participant")
        )
        if not approved:
            raise NothingToPublish(locked.year)
        Question.objects.filter(pk__in=[q.pk for q in approved]).update(
            answer_state=AnswerState.PUBLISHED, answered_at=now
        )
        first_time = locked.answers_published_at is None
        if first_time:
            locked.answers_published_at = now
            locked.save(update_fields=["answers_published_at"])
        version = (locked.answer_documents.aggregate(n=Max("version"))["n"] or 0) + 1
        document = _build_document(account=locked, version=version, now=now)
        for question in approved:
            question.answer_state, question.answered_at = AnswerState.PUBLISHED, now
            question.account = locked  # the message and its link need it: not one query per author
            notifications.answer_published(question=question)
        notifications.answers_out(account=locked, first_time=first_time)
        search.reindex(locked)
    return document


# --- Beat ----------------------------------------------------------------------------------------------------


def account_phases_sweep(*, now: datetime | None = None) -> int:
    """Phases move by their dates: notice each change once, tell followers and refresh the search index
    (an account enters it when its summary is published). Returns how many notifications were written."""
    now = now or timezone.now()
    sent = 0
    for account in PublicAccount.objects.exclude(phase_override="draft"):
        phase = account.phase_at(now)
        if phase == account.last_notified_phase:
            continue
        with transaction.atomic():
            locked = PublicAccount.objects.select_for_update().get(pk=account.pk)
            if locked.last_notified_phase == phase:
                continue
            sent += notifications.phase_changed(account=locked, phase=phase)
            locked.last_notified_phase = phase
            locked.save(update_fields=["last_notified_phase"])
            search.reindex(locked)
    return sent


def deadline_reminders_send(*, today: date | None = None) -> int:
    """Remind each answering unit once of its questions due within ``PUBLIC_ACCOUNT_REMINDER_DAYS`` and once
    of those overdue; a question is counted once in each. Returns how many notifications were written."""
    today = today or timezone.localdate()
    soon_until = today + timedelta(days=settings.PUBLIC_ACCOUNT_REMINDER_DAYS)
    unanswered = Question.objects.unanswered().filter(unit__isnull=False, due_date__isnull=False)
    sent = 0
    with transaction.atomic():
        soon = list(
            unanswered.select_for_update(of=("self",))
            .filter(due_date__gte=today, due_date__lte=soon_until, reminded_soon_at__isnull=True)
            .select_related("account", "unit")
        )
        overdue = list(
            unanswered.select_for_update(of=("self",))
            .filter(due_date__lt=today, reminded_overdue_at__isnull=True)
            .select_related("account", "unit")
        )
        for questions, overdue_flag in ((soon, False), (overdue, True)):
            by_unit: dict[tuple[int, int], list[Question]] = {}
            for question in questions:
                by_unit.setdefault((question.unit_id, question.account_id), []).append(question)
            for group_questions in by_unit.values():
                sent += notifications.deadline_reminder(questions=group_questions, overdue=overdue_flag)
        now = timezone.now()
        Question.objects.filter(pk__in=[q.pk for q in soon]).update(reminded_soon_at=now)
        Question.objects.filter(pk__in=[q.pk for q in overdue]).update(reminded_overdue_at=now)
    return sent
