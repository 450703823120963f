"""What the COSOC adds to shared pages: the next session in "open now", approved minutes in "what's new", "my
data", search and sitemap. Each is built for ANONYMOUS (or for the person whose data it is) through
``permissions``, so members-only content never reaches a shared page."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cosoc import fragments, permissions, selectors
from cosoc import search as cosoc_search
from cosoc.models import Membership, Minutes, MinutesStatus, Observation
from engine import open_now, whats_new
from participants import data_export


def _next_session(request: HttpRequest) -> list[open_now.OpenNowItem]:
    session = selectors.next_session(permissions.ANONYMOUS)
    if session is None:
        return []
    return [
        open_now.OpenNowItem(
            title=session.title,
            url=session.get_absolute_url(),
            mechanism=_("Sesión del COSOC"),
            closes_on=session.date,
            summary=session.place or session.get_modality_display(),
            is_event=True,
        )
    ]


def _approved_minutes(limit: int) -> list[whats_new.NewsItem]:
    minutes = (
        Minutes.objects.filter(status=MinutesStatus.APPROVED)
        .select_related("session")
        .order_by("-approved_at")[:limit]
    )
    return [
        whats_new.NewsItem(
            title=_("Acta aprobada: %(title)s") % {"title": m.session.title},
            url=m.get_absolute_url(),
            mechanism=_("Consejo de la Sociedad Civil (COSOC)"),
            published_at=m.approved_at,
        )
        for m in minutes
        if permissions.may_view_minutes(permissions.ANONYMOUS, m)
    ]


def _my_cosoc_data(user, participant) -> list[dict]:
    rows: list[dict] = [
        {
            "membership": str(m.term),
            "organization": m.organization.legal_name,
            "role": m.role,
            "start": m.start.isoformat(),
            "end": m.end.isoformat() if m.end else None,
        }
        for m in Membership.objects.filter(user=user).select_related("term", "organization")
    ]
    rows += [
        {"session": o.session.title, "observation": o.text, "created_at": data_export.iso(o.created_at)}
        for o in Observation.objects.filter(author=user).select_related("session")
    ]
    return rows


def _my_cosoc_readable(user, participant) -> list[data_export.Group]:
    groups = [
        data_export.Group(
            str(m.term),
            [
                data_export.Item(_("Organización"), m.organization.legal_name),
                data_export.Item(_("Cargo"), m.get_role_display()),
                data_export.Item(_("Fecha de inicio"), m.start),
                data_export.Item(_("Fecha de término"), m.end or ""),
            ],
        )
        for m in Membership.objects.filter(user=user).select_related("term", "organization")
    ]
    observations = Observation.objects.filter(author=user).select_related("session").order_by("created_at")
    if observations:
        groups.append(
            data_export.Group(
                _("Mis observaciones en el COSOC"),
                [
                    data_export.Item(f"{o.session.title} ({o.created_at:%d-%m-%Y})", o.text)
                    for o in observations
                ],
            )
        )
    return groups


open_now.register(_next_session)
whats_new.register(_approved_minutes)
cosoc_search.register()
fragments.watch()
data_export.register(
    "cosoc", gettext_lazy("Consejo de la Sociedad Civil (COSOC)"), _my_cosoc_data, _my_cosoc_readable
)
