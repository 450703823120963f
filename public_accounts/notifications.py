"""Who hears about what, through the engine's outbox (rows written in the caller's transaction), or by a
direct email after commit for people without an account who left an address.

The services call these; nothing here decides when.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext as _

from engine.emails import direct_email_send
from engine.notifications import Mechanism, notification_context, notify
from participants.models import User
from public_accounts.models import Phase, PublicAccount, Question, Status


def _to_author(question: Question, message: Callable[[], str]) -> int:
    """The author by the outbox when they have an account; else by email to the address they left."""
    user_id = question.participant.user_id
    if user_id is not None:
        return notify(
            kind="generic",
            recipients=[user_id],
            context=notification_context(
                question.account,
                message=message,
                url_name="public_accounts:question",
                url_args=[question.account.year, question.pk],
            ),
        )
    address = question.contact if "@" in question.contact else ""
    if not address:
        return 0
    transaction.on_commit(
        lambda: direct_email_send(
            template="public_account_answer",
            to=address,
            language=question.language,
            context={"account": question.account, "question": question, "status": question.status},
        )
    )
    return 1


def question_moderated(*, question: Question) -> int:
    if question.status == Status.REJECTED:
        return _to_author(
            question, lambda: _("Su pregunta no fue aceptada. En la página de la pregunta está el motivo.")
        )
    return _to_author(
        question,
        lambda: _("Su pregunta se unió a otra igual: recibirá la misma respuesta. Vea cuál en la página."),
    )


def answer_published(*, question: Question) -> int:
    return _to_author(question, lambda: _("SERMIG respondió su pregunta. Lea la respuesta en la página."))


def answers_out(*, account: PublicAccount, first_time: bool) -> int:
    """Followers of the account and of the mechanism: the answers document is out (or a new version)."""
    return notify(
        kind="generic",
        target=account,
        mechanism=Mechanism.PUBLIC_ACCOUNT,
        context=notification_context(
            account,
            message=(lambda: _("SERMIG publicó las respuestas a las preguntas de la cuenta pública."))
            if first_time
            else (lambda: _("SERMIG publicó nuevas respuestas en la cuenta pública.")),
            url_name="public_accounts:answers",
            url_args=[account.year],
        ),
    )


PHASE_MESSAGES: dict[str, Callable[[], str]] = {
    Phase.PUBLISHED: lambda: _(
        "SERMIG publicó el resumen de su cuenta pública. Léalo y prepare sus preguntas."
    ),
    Phase.QUESTIONS: lambda: _(
        "Puede enviar sus preguntas sobre la cuenta pública. Hágalo antes del cierre."
    ),
    Phase.OBSERVATIONS: lambda: _("El COSOC publicó sus observaciones sobre la cuenta pública."),
}


def phase_changed(*, account: PublicAccount, phase: str) -> int:
    if phase not in PHASE_MESSAGES:
        return 0
    return notify(
        kind="generic",
        target=account,
        mechanism=Mechanism.PUBLIC_ACCOUNT,
        context=notification_context(
            account,
            message=PHASE_MESSAGES[phase],
            url_name="public_accounts:detail",
            url_args=[account.year],
        ),
    )


def deadline_reminder(*, questions: list[Question], overdue: bool) -> int:
    """The members of one answering unit: how many of their questions are due soon, or overdue."""
    first = questions[0]
    members = User.objects.filter(groups=first.unit_id, is_active=True, is_staff=True)
    count = len(questions)

    def message() -> str:
        if overdue:
            return _("Hay %(count)s preguntas de la cuenta pública con el plazo vencido.") % {"count": count}
        return _("Hay %(count)s preguntas de la cuenta pública que vencen en pocos días.") % {"count": count}

    return notify(
        kind="generic",
        recipients=members,
        context=notification_context(
            first.account,
            message=message,
            url_name="admin:public_accounts_question_changelist",
        ),
    )
