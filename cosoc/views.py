"""COSOC pages. Thin: each asks ``selectors.session_access`` (404 when the person may not see the session) and
the predicates of ``permissions``; writes go through ``services``."""

from __future__ import annotations

import csv
import io

import icalendar
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from cosoc import fragments, permissions, selectors, services
from cosoc.forms import ObservationForm
from cosoc.models import (
    AgendaDocument,
    AgendaItem,
    AgreementStatus,
    Minutes,
    MinutesStatus,
    Observation,
    Session,
)
from engine.files import serve_file
from engine.notifications import selectors as notification_selectors
from engine.notifications import subscription_set
from engine.pdf import html_to_pdf
from engine.reports.renderers import cell_value
from participants.mfa import mfa_required


def _get_session_for_user(request: HttpRequest, pk: int) -> selectors.SessionAccess:
    return selectors.session_access(request.user, pk)


def _trusted(html: str) -> str:
    """HTML rendered by this app's own templates (autoescaped), passed on as it is."""
    return mark_safe(html)  # noqa: S308  (the output of our own autoescaped templates)


def _page_number(request: HttpRequest) -> int:
    """The page asked for, as a number (junk is page 1: it also names a cached fragment)."""
    raw = request.GET.get("pagina", "")
    return int(raw) if raw.isdigit() and len(raw) <= 6 else 1


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    def build() -> str:
        return render_to_string(
            "cosoc/_council_content.html",
            {"page": selectors.council_page(), "next_session": selectors.next_session(permissions.ANONYMOUS)},
        )

    return render(
        request, "cosoc/council.html", {"fragment": _trusted(fragments.cached("council", [], build))}
    )


@require_GET
def sessions(request: HttpRequest) -> HttpResponse:
    number = _page_number(request)
    # Staff who prepare sessions also see planned ones: their list is theirs, never cached.
    reader = request.user if permissions.may_manage(request.user) else permissions.ANONYMOUS

    def build() -> str:
        return render_to_string(
            "cosoc/_session_list_content.html",
            {"page": selectors.sessions_page(reader, number), "today": timezone.localdate()},
        )

    html = build() if reader is request.user else fragments.cached("sessions", [number], build)
    return render(request, "cosoc/session_list.html", {"fragment": _trusted(html)})


def _session_content(found: Session) -> str:
    # Built for ANONYMOUS: members read their documents in the review area, never from this shared copy.
    return render_to_string(
        "cosoc/_session_content.html",
        {"detail": selectors.session_detail(found, permissions.ANONYMOUS), "session": found},
    )


@require_GET
def session(request: HttpRequest, pk: int) -> HttpResponse:
    def shared_copy() -> tuple[Session, str] | None:
        """A public session's row and its public content, the same for every reader; nothing for another."""
        found = selectors.session_row(pk)
        if found is None:
            raise Http404  # before anything is stored: made-up numbers leave nothing in the cache
        if not permissions.may_view_session(permissions.ANONYMOUS, found):
            return None
        return found, _session_content(found)

    copy = fragments.shared("session", [pk], shared_copy)
    if copy is None:  # not public: the reader's own rights decide, on a fresh row, and nothing is shared
        access = selectors.session_access(request.user, pk)
        html = _session_content(access.session)
    else:
        access = selectors.session_access(request.user, pk, row=copy[0])
        html = copy[1]
    found = access.session
    following = None
    if request.user.is_authenticated:
        following = notification_selectors.is_following(user=request.user, target=found)
    # The reader's part (review area, follow form) goes in the page's own render: no second template context.
    before, _marker, after = html.partition("<!--cosoc-session-actions-->")
    return render(
        request,
        "cosoc/session_detail.html",
        {
            "session": found,
            "before": _trusted(before),
            "after": _trusted(after),
            "may_review": access.may_review,
            "following": following,
        },
    )


@require_POST
@login_required
def follow(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a session: its agenda, approved minutes and agreement updates (public news only)."""
    access = _get_session_for_user(request, pk)
    subscription_set(user=request.user, target=access.session)
    messages.success(request, _("Le avisaremos por correo de las novedades de esta sesión."))
    return redirect(access.session.get_absolute_url())


def _review_access(request: HttpRequest, pk: int) -> Session:
    access = _get_session_for_user(request, pk)
    if not access.may_review:
        raise Http404
    return access.session


@never_cache
@login_required
@mfa_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The members-only area: agenda, every document, observations and replies, the shared draft minutes."""
    session = _review_access(request, pk)
    return render(
        request,
        "cosoc/review.html",
        {
            "review": selectors.review_page(session, request.user),
            "session": session,
            "form": ObservationForm(),
            "is_secretary": permissions.is_secretary(request.user),
        },
    )


@never_cache
@require_POST
@login_required
@mfa_required
def observe(request: HttpRequest, pk: int) -> HttpResponse:
    """Post an observation (or a reply) on an item, or a comment on the shared draft minutes."""
    session = _review_access(request, pk)
    form = ObservationForm(request.POST)
    item = minutes = parent = None
    target = request.POST.get("target", "")
    kind, _sep, raw_id = target.partition("-")
    if not raw_id.isdigit() or kind not in ("item", "minutes"):
        raise Http404
    if kind == "item":
        item = get_object_or_404(AgendaItem, pk=int(raw_id), session=session)
    else:
        minutes = get_object_or_404(Minutes, pk=int(raw_id), session=session, status=MinutesStatus.SHARED)
    parent_id = request.POST.get("parent", "")
    if parent_id:
        if not parent_id.isdigit():
            raise Http404
        parent = get_object_or_404(Observation, pk=int(parent_id), session=session)
    anchor = f"#{target}"
    if not form.is_valid():
        for error in form.errors.get("text", []):
            messages.error(request, error)
        return redirect(reverse("cosoc:review", kwargs={"pk": session.pk}) + anchor)
    try:
        services.observation_post(
            author=request.user, text=form.cleaned_data["text"], item=item, minutes=minutes, parent=parent
        )
    except services.Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Su observación quedó guardada. Solo el consejo y la secretaría la ven."))
    return redirect(reverse("cosoc:review", kwargs={"pk": session.pk}) + anchor)


@require_GET
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """A document of an agenda item, served only to whom its visibility allows (404 for anyone else)."""
    found = AgendaDocument.objects.select_related("item__session__term").filter(pk=pk).first()
    if found is None or not permissions.may_view_document(request.user, found):
        raise Http404
    public = permissions.may_view_document(permissions.ANONYMOUS, found)
    if not public:
        # Members-only: the members' group needs a second factor here as on the review page.
        return _members_document(request, found)
    return serve_file(request, found.file, download_name=found.file_name or found.title, public=True)


@login_required
@mfa_required
def _members_document(request: HttpRequest, found: AgendaDocument) -> HttpResponse:
    return serve_file(request, found.file, download_name=found.file_name or found.title, public=False)


def _minutes_session(request: HttpRequest, pk: int) -> Session:
    session = _get_session_for_user(request, pk).session
    return session


@require_GET
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    session = _minutes_session(request, pk)
    version = request.GET.get("version", "")
    document = selectors.minutes_document(session, int(version) if version.isdigit() else None)
    return render(request, "cosoc/minutes.html", {"session": session, "document": document})


@require_GET
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    session = _minutes_session(request, pk)
    version = request.GET.get("version", "")
    document = selectors.minutes_document(session, int(version) if version.isdigit() else None)
    html = render_to_string(
        "cosoc/minutes_pdf.html", {"session": session, "document": document}, request=request
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    name = f"acta-{slugify(session.title)}-v{document.minutes.version}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@require_GET
def agreements(request: HttpRequest) -> HttpResponse:
    filters = selectors.AgreementFilters.from_query(request.GET)
    number = _page_number(request)

    def build() -> str:
        sessions_, years = selectors.agreement_filter_choices(permissions.ANONYMOUS)
        return render_to_string(
            "cosoc/_agreements_content.html",
            {
                "page": selectors.agreements_page(permissions.ANONYMOUS, filters, number),
                "summary": selectors.agreements_summary(permissions.ANONYMOUS, filters),
                "filters": filters,
                "sessions": sessions_,
                "years": years,
                "statuses": AgreementStatus.choices,
                "params": filters.query(),
            },
        )

    html = fragments.cached("agreements", [filters.status, filters.session, filters.year, number], build)
    return render(request, "cosoc/agreements.html", {"fragment": _trusted(html)})


def _agreement_rows(filters: selectors.AgreementFilters) -> list[list[object]]:
    rows: list[list[object]] = [
        [
            _("Sesión"),
            _("Fecha"),
            _("Acuerdo"),
            _("Responsable"),
            _("Plazo"),
            _("Estado"),
            _("Atrasado"),
            _("Avances"),
        ]
    ]
    for agreement in selectors.agreements_for_list(permissions.ANONYMOUS, filters):
        rows.append(
            [
                agreement.session.title,
                agreement.session.date.isoformat(),
                agreement.text,
                agreement.responsible,
                agreement.due_date.isoformat() if agreement.due_date else "",
                agreement.get_status_display(),
                _("Sí") if agreement.is_overdue else _("No"),
                "\n".join(f"{p.date.isoformat()}: {p.text}" for p in agreement.progress.all()),
            ]
        )
    return rows


@require_GET
def agreements_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The tracker as CSV or XLSX, through the engine's formula-safe cell writer."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    rows = _agreement_rows(selectors.AgreementFilters.from_query(request.GET))
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in rows:
            writer.writerow([cell_value(value) for value in row])
        response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook  # noqa: PLC0415  (heavy: loaded on the first spreadsheet)

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Acuerdos")[:31]
        for row in rows:
            sheet.append([cell_value(value) for value in row])
        buffer_bytes = io.BytesIO()
        workbook.save(buffer_bytes)
        response = HttpResponse(
            buffer_bytes.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="cosoc-acuerdos.{fmt}"'
    return response


def _event(request: HttpRequest, session: Session) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"cosoc-sesion-{session.pk}@participacion.serviciomigraciones.cl")
    event.add("summary", _("COSOC: %(title)s") % {"title": session.title})
    event.add("dtstart", session.starts())
    event.add("dtend", session.ends())
    event.add("dtstamp", timezone.now())
    location = ", ".join(filter(None, [session.place, session.online_link]))
    if location:
        event.add("location", location)
    event.add("url", request.build_absolute_uri(session.get_absolute_url()))
    event.add("description", f"{session.get_kind_display()} · {session.get_modality_display()}")
    return event


def _calendar(name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//SERMIG//COSOC//ES")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


@require_GET
def sessions_ical(request: HttpRequest) -> HttpResponse:
    """The public sessions of the last 12 months and every future one (built for ANONYMOUS, like every feed)."""
    calendar = _calendar(_("Sesiones del COSOC de SERMIG"))
    for found in selectors.ical_sessions(permissions.ANONYMOUS)[:500]:
        calendar.add_component(_event(request, found))
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")


@require_GET
def session_ical(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Session.objects.select_related("term"), pk=pk)
    if not permissions.may_view_session(permissions.ANONYMOUS, found):
        raise Http404
    calendar = _calendar(found.title)
    calendar.add_component(_event(request, found))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cosoc-sesion-{found.pk}.ics"'
    return response
