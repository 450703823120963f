"""What public accounts add to shared pages: "open now", "what's new", "my data", the "Mi cuenta" menu's
"my questions", search, sitemap, reports."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine import open_now, whats_new
from participants import account_menu, data_export
from public_accounts import permissions, reports, search
from public_accounts.models import Question


def _open_accounts(request: HttpRequest) -> list[open_now.OpenNowItem]:
    """Accounts in their questions window, with the closing date (built for ANONYMOUS: a public block)."""
    return [
        open_now.OpenNowItem(
            title=account.title,
            url=account.get_absolute_url(),
            mechanism=_("Cuenta pública: envíe sus preguntas"),
            closes_on=timezone.localtime(account.questions_close_at).date(),
            summary=account.summary,
        )
        for account in permissions.accounts_visible_to(permissions.ANONYMOUS).open_for_questions()[:3]
        if account.accepts_online_questions
    ]


def _answers_out(limit: int) -> list[whats_new.NewsItem]:
    return [
        whats_new.NewsItem(
            title=_("Respuestas de la cuenta pública %(year)s") % {"year": account.year},
            url=account.get_absolute_url() + "#respuestas",
            mechanism=str(_("Cuenta pública participativa")),
            published_at=account.answers_published_at,
            summary=account.title,
        )
        for account in permissions.accounts_visible_to(permissions.ANONYMOUS)
        .filter(answers_published_at__isnull=False, answers_published_at__lte=timezone.now())
        .order_by("-answers_published_at")[:limit]
    ]


def _own_questions(user, participant) -> QuerySet[Question]:
    if participant is None:
        return Question.objects.none()
    return (
        Question.objects.filter(participant=participant)
        .select_related("account", "section")
        .order_by("created_at")
    )


def _my_questions_data(user, participant) -> list[dict]:
    return [
        {
            "account": question.account.year,
            "about": question.about,
            "kind": question.kind,
            "text": question.text,
            "language": question.language,
            "status": question.status,
            "rejection_reason": question.rejection_reason,
            "answer": question.answer if question.answer_state == "published" else "",
            "created_at": data_export.iso(question.created_at),
        }
        for question in _own_questions(user, participant)
    ]


def _my_questions_readable(user, participant) -> list[data_export.Group]:
    groups = []
    for question in _own_questions(user, participant):
        items = [
            data_export.Item(_("Enviada el"), question.created_at),
            data_export.Item(_("Sobre"), question.about),
            data_export.Item(_("Texto"), question.text),
            data_export.Item(_("Estado"), question.get_status_display()),
        ]
        if question.rejection_reason:
            items.append(data_export.Item(_("Motivo"), question.rejection_reason))
        if question.answer_state == "published":
            items.append(data_export.Item(_("Respuesta"), question.answer))
        groups.append(
            data_export.Group(
                _("Cuenta pública %(year)s: %(kind)s")
                % {"year": question.account.year, "kind": question.get_kind_display()},
                items,
            )
        )
    return groups


open_now.register(_open_accounts)
whats_new.register(_answers_out)
search.register()
reports.register()
data_export.register(
    "public_accounts",
    gettext_lazy("Cuenta pública: mis preguntas"),
    _my_questions_data,
    _my_questions_readable,
)
account_menu.register("public_accounts:my-questions", gettext_lazy("Mis preguntas de la cuenta pública"))
