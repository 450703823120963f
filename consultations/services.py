"""Writes for consultations: answering, submitting, assisted entry, cloning, phase notifications."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac

from consultations import answers as answer_rules
from consultations import notifications
from consultations.answers import AnswerValue
from consultations.models import (
    AnonymousConfirmation,
    Answer,
    AnswerOption,
    Channel,
    Consultation,
    ModerationStatus,
    Option,
    Phase,
    Question,
    QuestionKind,
    Response,
    TopicProposal,
)
from consultations.receivers import results_changed
from consultations.results import results_refresh_schedule
from consultations.selectors import drafts_closing_soon, questionnaire
from participants import services as participant_services
from participants.choices import ConsentChannel
from participants.models import Participant, User


class ConsultationClosed(Exception):
    """Answers can only be submitted while the consultation is open; the draft is kept."""


class IncompleteResponse(Exception):
    def __init__(self, missing: list[Question]) -> None:
        super().__init__(f"{len(missing)} required questions unanswered")
        self.missing = missing


def email_hash(email: str) -> str:
    """A keyed hash: the address itself is never stored, but the same address always maps to the same key."""
    return salted_hmac(
        "consultations.respondent-email", email.strip().lower(), algorithm="sha256"
    ).hexdigest()


def response_get_or_create(
    *, consultation: Consultation, participant: Participant | None = None, hashed_email: str = ""
) -> Response:
    """The one response of this person; concurrent first requests meet at the database constraint."""
    existing = Response.objects.filter(consultation=consultation, **_owner(participant, hashed_email)).first()
    if existing:
        return existing
    response, _created = response_create_or_get(
        consultation=consultation, participant=participant, hashed_email=hashed_email
    )
    return response


def response_create_or_get(
    *, consultation: Consultation, participant: Participant | None = None, hashed_email: str = ""
) -> tuple[Response, bool]:
    """``response_get_or_create`` for a caller that has just looked and found none: insert first.

    Returns the response and whether this call created it (False when a concurrent request did).
    """
    lookup = _owner(participant, hashed_email)
    try:
        with transaction.atomic():
            # Created here so that losing the race rolls the empty participant back too.
            if participant is None:
                participant = Participant.objects.create()
            response = Response.objects.create(
                consultation=consultation, participant=participant, email_hash=hashed_email
            )
            return response, True
    except IntegrityError:
        return Response.objects.get(consultation=consultation, **lookup), False


def _owner(participant: Participant | None, hashed_email: str) -> dict:
    """How a response is found: by its participant, or by the confirmed email of someone without an account."""
    if participant is None and not hashed_email:
        raise ValueError("A response belongs to a participant or to a confirmed email")
    return {"participant": participant} if participant is not None else {"email_hash": hashed_email}


class ResponseSubmitted(ConsultationClosed):
    """The response was submitted (perhaps a moment ago, from another tab): its answers cannot change."""


def response_save_answers(
    *, response: Response, answers: dict[Question, AnswerValue], created: bool = False
) -> None:
    """Replace the answers to the given questions (a section, or the whole questionnaire).

    Idempotent under concurrency: saves and the submit of one response take turns on its row, so a double
    click or two tabs posting at once leave one whole set of answers (the last one's), never a mix of both or
    an error, and a save that comes after the submit is refused with ``ResponseSubmitted``.

    ``created``: the response was inserted by this request (``response_create_or_get``); unless another
    request saved answers to it meanwhile, there is nothing to replace and its ``updated_at`` is already now.
    """
    with transaction.atomic():
        # After waiting for the lock, PostgreSQL returns the row as the previous holder committed it.
        locked = Response.objects.select_for_update().only("status", "updated_at").get(pk=response.pk)
        if locked.status == Response.Status.SUBMITTED:
            raise ResponseSubmitted("A submitted response cannot change")
        # Every other save stamps ``updated_at``: unchanged since this request created the row, no one did.
        untouched = created and locked.updated_at == response.updated_at
        if not untouched:
            Answer.objects.filter(response=response, question__in=list(answers)).delete()
        new_answers = [
            Answer(
                response=response,
                question=question,
                text=value.text.strip(),
                other_text=value.other_text.strip(),
            )
            for question, value in answers.items()
            if not value.is_empty
        ]
        Answer.objects.bulk_create(new_answers)
        if connection.features.can_return_rows_from_bulk_insert:
            saved = {a.question_id: a for a in new_answers}
        else:  # the new rows' ids are not known without reading them back
            saved = {
                a.question_id: a for a in Answer.objects.filter(response=response, question__in=list(answers))
            }
        choices = []
        for question, value in answers.items():
            answer = saved.get(question.pk)
            if answer is None:
                continue
            if question.kind == QuestionKind.RANKING:
                choices += [AnswerOption(answer=answer, option_id=o, rank=r) for o, r in value.ranks.items()]
            else:
                choices += [AnswerOption(answer=answer, option_id=o) for o in value.option_ids]
        AnswerOption.objects.bulk_create(choices)
        if not untouched:
            Response.objects.filter(pk=response.pk).update(updated_at=timezone.now())


def _visibility(response: Response) -> tuple[list[Question], set[int], set[int]]:
    """The questionnaire, the options chosen and the questions answered: what submitting checks against."""
    questions = [q for section in questionnaire(response.consultation) for q in section.questions.all()]
    rows = list(Answer.objects.filter(response=response).values_list("question_id", "choices__option_id"))
    answered = {question_id for question_id, _option_id in rows}
    chosen = {option_id for _question_id, option_id in rows if option_id is not None}
    return questions, chosen, answered


def missing_required(response: Response) -> list[Question]:
    return answer_rules.missing(*_visibility(response))


def response_submit(*, response: Response, now=None) -> Response:
    """Submit once: a second (or concurrent) submission of the same response changes nothing.

    A refusal (closed, incomplete) is raised once the block is left, having written nothing, so the block
    needs no savepoint of its own inside the caller's transaction.
    """
    refusal: Exception | None = None
    with transaction.atomic(savepoint=False):
        locked = (
            Response.objects.select_for_update(of=("self",))
            .select_related("consultation")
            .get(pk=response.pk)
        )
        if locked.status == Response.Status.SUBMITTED:
            return locked
        if Response.participant.is_cached(response):  # the caller's copy: its participant cannot have changed
            locked.participant = response.participant
        consultation = locked.consultation
        questions, chosen, answered = _visibility(locked)
        missing = answer_rules.missing(questions, chosen, answered)
        if not (consultation.is_published and consultation.phase_at(now) == "open"):
            refusal = ConsultationClosed(consultation.phase_at(now))
        elif missing:
            refusal = IncompleteResponse(missing)
        else:
            # Answers to questions hidden by a condition are not kept.
            hidden = answer_rules.hidden_answered(questions, chosen, answered)
            if hidden:
                Answer.objects.filter(response=locked, question_id__in=hidden).delete()
            locked.status = Response.Status.SUBMITTED
            locked.submitted_at = now or timezone.now()
            locked.save(update_fields=["status", "submitted_at", "updated_at"])
            notifications.response_submitted(response=locked)
            _results_moved(consultation)
    if refusal is not None:
        raise refusal
    return locked


def anonymous_confirmation_create(*, consultation: Consultation, email: str) -> AnonymousConfirmation:
    return AnonymousConfirmation.objects.create(consultation=consultation, email_hash=email_hash(email))


# A double click posts the confirmation twice, and the browser shows the answer to the second post.
LINK_DOUBLE_CLICK_WINDOW = timedelta(seconds=10)


def anonymous_confirmation_use(
    *, consultation: Consultation, nonce, max_age: timedelta, browser_secret: str = ""
) -> str | None:
    """Consume a one-time link; returns the email hash it confirms, or None if unknown, used or expired.

    ``browser_secret`` (the browser's CSRF cookie) lets the browser that used the link in again for a few
    seconds (``LINK_DOUBLE_CLICK_WINDOW``), so the second post of a double click is not told the link was
    used; for anyone else it is used.
    """
    now = timezone.now()
    browser = salted_hmac("consultations.link-browser", browser_secret).hexdigest() if browser_secret else ""
    with transaction.atomic():
        confirmation = (
            AnonymousConfirmation.objects.select_for_update()
            .filter(consultation=consultation, nonce=nonce)
            .first()
        )
        if confirmation is None or confirmation.created_at < now - max_age:
            return None
        if confirmation.used_at is not None:
            same_click = (
                browser
                and confirmation.used_by == browser
                and confirmation.used_at > now - LINK_DOUBLE_CLICK_WINDOW
            )
            return confirmation.email_hash if same_click else None
        confirmation.used_at, confirmation.used_by = now, browser
        confirmation.save(update_fields=["used_at", "used_by"])
        return confirmation.email_hash


class PaperFormRecorded(Exception):
    """This paper form (by its reference) was already typed in for this consultation; nothing was written."""


def assisted_response_record(
    *,
    consultation: Consultation,
    staff: User,
    channel: str,
    answers: dict[Question, AnswerValue],
    attributes: dict,
    consented: set[str],
    paper_reference: str = "",
) -> Response:
    """A paper or phone response typed in by staff, for someone who cannot use the web. A paper form's
    reference is recorded once per consultation (``PaperFormRecorded`` the second time, even at once)."""
    if channel not in (Channel.ASSISTED_PAPER, Channel.ASSISTED_PHONE):
        raise ValueError(f"{channel!r} is not an assisted channel")
    paper_reference = paper_reference.strip()
    if (
        paper_reference
        and Response.objects.filter(consultation=consultation, paper_reference=paper_reference).exists()
    ):
        raise PaperFormRecorded(paper_reference)
    try:
        return _assisted_response_insert(
            consultation=consultation,
            staff=staff,
            channel=channel,
            answers=answers,
            attributes=attributes,
            consented=consented,
            paper_reference=paper_reference,
        )
    except IntegrityError:
        if (
            paper_reference
            and Response.objects.filter(consultation=consultation, paper_reference=paper_reference).exists()
        ):
            raise PaperFormRecorded(paper_reference) from None
        raise


def _assisted_response_insert(
    *,
    consultation: Consultation,
    staff: User,
    channel: str,
    answers: dict[Question, AnswerValue],
    attributes: dict,
    consented: set[str],
    paper_reference: str,
) -> Response:
    with transaction.atomic():
        participant = participant_services.participant_record(
            consented=consented, channel=ConsentChannel.STAFF, recorded_by=staff, **attributes
        )
        response = Response.objects.create(
            consultation=consultation,
            participant=participant,
            channel=channel,
            recorded_by=staff,
            paper_reference=paper_reference,
        )
        response_save_answers(response=response, answers=answers)
        missing = missing_required(response)
        if missing:
            raise IncompleteResponse(missing)
        response.status = Response.Status.SUBMITTED
        response.submitted_at = timezone.now()
        response.save(update_fields=["status", "submitted_at"])
        _results_moved(consultation)
    return response


def _results_moved(consultation: Consultation) -> None:
    """A new response moves public results: they are computed again after the commit (debounced per
    consultation, ``results.results_refresh_schedule``). Results not yet public are computed when first read."""
    if consultation.results_are_public:
        results_refresh_schedule(consultation_id=consultation.pk)


def consultation_publish(*, consultation: Consultation, by: User | None = None) -> Consultation:
    """Make a consultation public. Its phase still follows its dates: the phase sweep notices the
    announcement or opening and notifies subscribers once (``notifications.phase_changed``)."""
    if not consultation.is_published:
        consultation.is_published = True
        consultation.save(update_fields=["is_published"])
    return consultation


def answers_moderate(*, answers: QuerySet[Answer], moderation: str, by: User | None = None) -> int:
    """Approve (publishing the text as written when no edited text was given) or hide open-text answers.

    ``QuerySet.update`` sends no signal, so the shared computed results, which show moderated texts, are
    marked stale here (``receivers.results_changed``). Returns how many answers changed.
    """
    if moderation not in ModerationStatus.values:
        raise ValueError(f"Unknown moderation status {moderation!r}")
    with transaction.atomic():
        if moderation == ModerationStatus.APPROVED:
            answers.filter(published_text="").update(published_text=F("text"))
        changed = answers.update(moderation=moderation)
        results_changed(pk__in=answers.values("response__consultation_id"))
    return changed


def answer_moderate(
    *, answer: Answer, moderation: str, published_text: str, by: User | None = None
) -> Answer:
    """One answer moderated from its own page: the text staff cleaned of personal data, and its status."""
    if moderation not in ModerationStatus.values:
        raise ValueError(f"Unknown moderation status {moderation!r}")
    answer.moderation = moderation
    answer.published_text = published_text.strip()
    answer.save(update_fields=["moderation", "published_text"])  # the post_save receiver marks results stale
    return answer


def consultation_clone(*, consultation: Consultation, by: User | None = None) -> Consultation:
    """A new unpublished draft with the same texts, sections, questions, options and conditions."""
    with transaction.atomic():
        clone = _copy(
            consultation,
            slug=_free_slug(f"{consultation.slug}-copia"),
            is_published=False,
            phase_override="",
            last_notified_phase="",
            results_published_at=None,
            response_published_at=None,
        )
        option_map: dict[int, Option] = {}
        pending_conditions: list[tuple[Question, int]] = []
        for section in consultation.sections.prefetch_related("questions__options"):
            new_section = _copy(section, consultation=clone)
            for question in section.questions.all():
                new_question = _copy(question, section=new_section, depends_on_option=None)
                if question.depends_on_option_id:
                    pending_conditions.append((new_question, question.depends_on_option_id))
                for option in question.options.all():
                    option_map[option.pk] = _copy(option, question=new_question)
        for new_question, old_option_id in pending_conditions:
            new_question.depends_on_option = option_map.get(old_option_id)
            new_question.save(update_fields=["depends_on_option"])
    return clone


def _copy(instance, **changes):
    clone = type(instance).objects.get(pk=instance.pk)
    clone.pk = None
    clone.id = None
    clone._state.adding = True
    for name, value in changes.items():
        setattr(clone, name, value)
    clone.save()
    return clone


def _free_slug(base: str) -> str:
    slug, n = base[:80], 2
    while Consultation.objects.filter(slug=slug).exists():
        slug = f"{base[:75]}-{n}"
        n += 1
    return slug


class ProposalExists(Exception):
    """This person already proposed a topic with this title in this call, with another description."""


def topic_proposal_create(*, call, participant: Participant, title: str, description: str) -> TopicProposal:
    """One proposal per title, person and call: the same proposal sent again (a double click, a reload)
    returns the one stored; the same title with another description is refused with ``ProposalExists``."""
    if not call.is_open():
        raise ConsultationClosed("The proposal call is not open")
    proposal, created = TopicProposal.objects.get_or_create(
        call=call, participant=participant, title=title, defaults={"description": description}
    )
    if not created and proposal.description != description:
        raise ProposalExists(title)
    return proposal


# --- Beat: phases and reminders -----------------------------------------------------------------------------


def consultation_phases_sweep(*, now: datetime | None = None) -> int:
    """Consultations open and close by their dates: notify each phase once (the beat runs this every few
    minutes); returns how many notifications were written."""
    now = now or timezone.now()
    sent = 0
    for consultation in Consultation.objects.published().select_related("topic"):
        phase = consultation.phase_at(now)
        if phase == consultation.last_notified_phase or phase in (Phase.DRAFT, Phase.CLOSED):
            continue
        with transaction.atomic():
            # Two beats at once: the second waits here, then sees the phase already notified.
            locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
            if locked.last_notified_phase == phase:
                continue
            sent += notifications.phase_changed(consultation=locked, phase=phase)
            locked.last_notified_phase = phase
            locked.save(update_fields=["last_notified_phase"])
    return sent


def response_draft_reminders_send(*, within_hours: int = 48) -> int:
    """Remind people of their unfinished draft when the consultation closes within ``within_hours``; each
    draft once, even when two runs overlap. Returns how many reminders were written."""
    sent = 0
    for response in drafts_closing_soon(within_hours=within_hours):
        with transaction.atomic():
            marked = Response.objects.filter(pk=response.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if marked:
                sent += notifications.draft_closing_soon(response=response)
    return sent
