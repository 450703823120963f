"""What the site-wide search and the sitemap know of the COSOC: public objects only, asked of ``permissions``
for ANONYMOUS. Observations, members-only documents and draft minutes are never indexed: no provider here
reads them (a session's text includes only its public agenda and the titles of its public documents)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cosoc import permissions
from cosoc.models import AgendaDocument, AgendaItem, Agreement, Minutes, MinutesStatus, Session
from engine import search, sitemaps
from engine.models import Mechanism


class _CosocProvider(search.Provider):
    mechanism = Mechanism.COSOC


class SessionSearch(_CosocProvider):
    model = Session
    kind = "cosoc-session"
    label = gettext_lazy("Sesión del COSOC")

    def queryset(self) -> QuerySet[Session]:
        public_documents = permissions.documents_visible_to(permissions.ANONYMOUS)
        return permissions.sessions_visible_to(permissions.ANONYMOUS).prefetch_related(
            Prefetch(
                "items",
                queryset=AgendaItem.objects.order_by("order").prefetch_related(
                    Prefetch("documents", queryset=public_documents)
                ),
            )
        )

    def summary(self, obj: Session) -> str:
        return f"{obj.date:%d-%m-%Y} · {obj.get_kind_display()} · {obj.get_modality_display()}"

    def body(self, obj: Session) -> str:
        parts = []
        for item in obj.items.all():
            parts += [item.title, item.description, *(document.title for document in item.documents.all())]
        return "\n\n".join(part for part in parts if part)

    def affected(self, obj) -> Iterable[int] | None:
        if isinstance(obj, AgendaItem):
            return [obj.session_id]
        if isinstance(obj, AgendaDocument):
            return Session.objects.filter(items__documents=obj.pk).values_list("pk", flat=True)
        return super().affected(obj)


class MinutesSearch(_CosocProvider):
    model = Minutes
    kind = "cosoc-minutes"
    label = gettext_lazy("Acta del COSOC")

    def queryset(self) -> QuerySet[Minutes]:
        return Minutes.objects.filter(status=MinutesStatus.APPROVED).select_related("session")

    def title(self, obj: Minutes) -> str:
        return _("Acta: %(title)s (versión %(version)s)") % {
            "title": obj.session.title,
            "version": obj.version,
        }

    def body(self, obj: Minutes) -> str:
        return obj.body or ""

    def url(self, obj: Minutes) -> str:
        return reverse("cosoc:minutes", kwargs={"pk": obj.session_id}) + f"?version={obj.version}"


class AgreementSearch(_CosocProvider):
    model = Agreement
    kind = "cosoc-agreement"
    label = gettext_lazy("Acuerdo del COSOC")

    def queryset(self) -> QuerySet[Agreement]:
        return permissions.agreements_visible_to(permissions.ANONYMOUS).select_related("session")

    def title(self, obj: Agreement) -> str:
        return obj.text[:150]

    def summary(self, obj: Agreement) -> str:
        return f"{obj.get_status_display()} · {obj.responsible}"

    def body(self, obj: Agreement) -> str:
        return obj.text


SESSIONS, MINUTES, AGREEMENTS = SessionSearch(), MinutesSearch(), AgreementSearch()


def register() -> None:
    """Called once from ``cosoc.hooks`` (AppConfig.ready)."""
    for provider in (SESSIONS, MINUTES, AGREEMENTS):
        search.register(provider)
    search.watch(Session, AgendaItem, AgendaDocument, Minutes, Agreement)
    sitemaps.register(
        "cosoc-pages", sitemaps.PagesSitemap(["cosoc:index", "cosoc:sessions", "cosoc:agreements"])
    )
    sitemaps.register("cosoc-sessions", sitemaps.ProviderSitemap(SESSIONS))
    sitemaps.register("cosoc-minutes", sitemaps.ProviderSitemap(MINUTES))
