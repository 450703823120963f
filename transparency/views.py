from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from engine.files import serve_file
from participants.mfa import mfa_required
from transparency import exports, permissions, selectors, services
from transparency.models import TYPE_PLURALS, PublicationType
from transparency.selectors import PublicationAccess


def _get_publication_for_user(request: HttpRequest, slug: str, *, full: bool = True) -> PublicationAccess:
    """The publication if this person may see it (published or archived; drafts for staff who may preview),
    else 404 — the same answer as for one that does not exist."""
    return selectors.publication_access(slug=slug, user=request.user, full=full)


def index(request: HttpRequest) -> HttpResponse:
    topics = selectors.active_topics()
    filters = selectors.list_filters(request.GET, topics)
    page = Paginator(
        selectors.publication_list(request.user, filters), settings.TRANSPARENCY_PAGE_SIZE
    ).get_page(request.GET.get("pagina"))
    return render(
        request,
        "transparency/publication_list.html",
        {
            "page": page,
            "filters": filters,
            "topics": topics,
            "types": [(code, TYPE_PLURALS[PublicationType(code)]) for code in PublicationType.values],
            "years": selectors.publication_years(request.user),
            "channels": selectors.social_channels(),
            "followed_types": selectors.followed_types(request.user),
            "active_transparency_url": settings.TRANSPARENCY_ACTIVE_TRANSPARENCY_URL,
            "query_without_page": filters_query(filters),
        },
    )


def filters_query(filters: selectors.ListFilters) -> str:
    params = {
        "tipo": filters.type,
        "tema": filters.topic.slug if filters.topic else "",
        "anio": filters.year or "",
    }
    return urlencode({name: value for name, value in params.items() if value})


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    access = _get_publication_for_user(request, slug)
    publication = access.publication
    versions = list(publication.versions.all())
    return render(
        request,
        "transparency/publication_detail.html",
        {
            "publication": publication,
            "preview": access.preview,
            "versions": versions,
            "attachments": list(publication.attachments.all()),
            "budget": exports.budget_table(publication),
        },
    )


def version(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    publication = _get_publication_for_user(request, slug, full=False).publication
    shown = get_object_or_404(publication.versions, number=number)
    latest = publication.versions.order_by("-number").values_list("number", flat=True).first()
    return render(
        request,
        "transparency/version_detail.html",
        {"publication": publication, "version": shown, "is_current": shown.number == latest},
    )


def attachment(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = _get_publication_for_user(request, slug, full=False)
    item = get_object_or_404(access.publication.attachments.exclude(file=""), pk=pk)
    return serve_file(
        request,
        item.file,
        download_name=item.file_name or item.title,
        public=permissions.may_view(permissions.ANONYMOUS, access.publication),
    )


def budget_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    access = _get_publication_for_user(request, slug, full=False)
    table = exports.budget_table(access.publication)
    if table is None or fmt not in exports.TABLE_FORMATS:
        raise Http404
    return exports.download(table, fmt=fmt, filename=f"{access.publication.slug}-presupuesto")


@require_POST
@login_required
def follow_type(request: HttpRequest, type: str) -> HttpResponse:
    if type not in PublicationType.values:
        raise Http404
    services.publication_type_follow(user=request.user, type=type)
    messages.success(
        request,
        _("Le avisaremos por correo de cada publicación nueva o actualizada de este tipo: %(types)s.")
        % {"types": TYPE_PLURALS[PublicationType(type)]},
    )
    return redirect("transparency:index")


@never_cache
@login_required
@mfa_required
def review(request: HttpRequest) -> HttpResponse:
    """Published items past their review date, oldest first: what the register owes the public."""
    if not permissions.may_review(request.user):
        raise Http404
    return render(
        request, "transparency/review_list.html", {"publications": selectors.review_list(request.user)}
    )
