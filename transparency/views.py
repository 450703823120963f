from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from engine import search
from engine.files import serve_file
from engine.fragments import CSRF_PLACEHOLDER, shared_fragment, with_csrf_token
from participants.mfa import mfa_required
from transparency import exports, permissions, selectors, services
from transparency.models import TYPE_PLURALS, PublicationType
from transparency.selectors import PublicationAccess


def _get_publication_for_user(request: HttpRequest, slug: str, *, full: bool = True) -> PublicationAccess:
    """The publication if this person may see it (published or archived; drafts for staff who may preview),
    else 404 — the same answer as for one that does not exist."""
    return selectors.publication_access(slug=slug, user=request.user, full=full)


# Longer values are cut before they name a cached page; no valid filter is this long.
RAW_VALUE_LENGTH = 100
LIST_PARAMETERS = ("tipo", "tema", "anio", "pagina")


def _shared_or_own(
    request: HttpRequest, *, namespace: str, shown: dict, render: Callable[[object], str]
) -> str:
    """What a page shows everyone who is not staff previewing: made once per change of what is public (the
    search index's version, which every publish, edit and unpublish of a publication and its rows changes)
    and shared; staff who may preview get their own, drafts included."""
    if permissions.may_preview(request.user):
        return render(request.user)
    return search.cached_content(
        namespace=namespace,
        language=get_language(),
        shown=shown,
        render=lambda: render(permissions.ANONYMOUS),
    )


def index(request: HttpRequest) -> HttpResponse:
    shown = {name: request.GET.get(name, "")[:RAW_VALUE_LENGTH] for name in LIST_PARAMETERS}

    def content(user) -> str:
        topics = selectors.active_topics()
        filters = selectors.list_filters(request.GET, topics)
        page = Paginator(selectors.publication_list(user, filters), settings.TRANSPARENCY_PAGE_SIZE).get_page(
            request.GET.get("pagina")
        )
        return render_to_string(
            "transparency/_list_content.html",
            {
                "page": page,
                "filters": filters,
                "topics": topics,
                "types": _types(),
                "years": selectors.publication_years(user),
                "query_without_page": filters_query(filters),
            },
        )

    kind = request.GET.get("tipo", "")
    before, after = _list_frame(request, kind if kind in PublicationType.values else "")
    return render(
        request,
        "transparency/publication_list.html",
        {
            "frame": (before, after),
            "content": _shared_or_own(request, namespace="transparency-list", shown=shown, render=content),
        },
    )


LIST_MARKER = "<!--transparency-list-->"


def _list_frame(request: HttpRequest, kind: str) -> tuple[str, str]:
    """The register's page around its list: what every reader sees (``kind`` names the type's feed) and the
    follow buttons, which depend only on being signed in and on the types the reader follows (one query):
    shared per language, address and set of followed types, and cut where the list goes. The reader's CSRF
    token replaces a placeholder. Like the layout's footer, a change of the social channels shows within
    ``FRAGMENT_CACHE_SECONDS``."""
    signed_in = request.user.is_authenticated
    followed = sorted(selectors.followed_types(request.user)) if signed_in else []
    html = shared_fragment(
        f"transparency:list-frame:{get_language()}:{request.path}:{kind}:{int(signed_in)}:{'-'.join(followed)}",
        render=lambda: render_to_string(
            "transparency/_list_frame.html",
            {
                "type": kind,
                "active_transparency_url": settings.TRANSPARENCY_ACTIVE_TRANSPARENCY_URL,
                "channels": selectors.social_channels(),
                "signed_in": signed_in,
                "types": _types(),
                "followed_types": followed,
                "path": request.path,
                "csrf_token": CSRF_PLACEHOLDER,
            },
        ),
    )
    if signed_in:
        html = with_csrf_token(html, request)
    before, _marker, after = html.partition(LIST_MARKER)
    return mark_safe(before), mark_safe(after)  # noqa: S308  (our own template's output and the reader's token)


def _types() -> list[tuple[str, object]]:
    return [(code, TYPE_PLURALS[PublicationType(code)]) for code in PublicationType.values]


def filters_query(filters: selectors.ListFilters) -> str:
    params = {
        "tipo": filters.type,
        "tema": filters.topic.slug if filters.topic else "",
        "anio": filters.year or "",
    }
    return urlencode({name: value for name, value in params.items() if value})


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    # One light read decides who may see it (404 otherwise) and names the page; the rest may be shared.
    access = _get_publication_for_user(request, slug, full=False)

    def content(user) -> str:
        publication = selectors.publication_access(slug=slug, user=user).publication
        return render_to_string(
            "transparency/_detail_content.html",
            {
                "publication": publication,
                "preview": not publication.is_public,
                "versions": list(publication.versions.all()),
                "attachments": list(publication.attachments.all()),
                "budget": exports.budget_table(publication),
            },
        )

    return render(
        request,
        "transparency/publication_detail.html",
        {
            "publication": access.publication,
            "content": _shared_or_own(
                request, namespace="transparency-detail", shown={"slug": slug}, render=content
            ),
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
