from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from engine import permissions
from engine.forms import ReportOptionsForm, SubscriptionsForm
from engine.models import Page, ReportFile, ReportJob, ReportStatus, Subscription, Topic
from engine.notifications import services as notification_services
from engine.notifications.selectors import unsubscribe_subject
from engine.notifications.tokens import RevokedToken, unsubscribe_request
from engine.pagination import paginate
from engine.reports import services as report_services
from engine.reports.registry import all_kinds, get_kind
from participants.mfa import mfa_required
from participants.permissions import is_verified_staff

if TYPE_CHECKING:
    from participants.models import User

    class AuthenticatedHttpRequest(HttpRequest):
        """A request behind @login_required: its user is signed in."""

        user: User

# --- Pages staff edit ------------------------------------------------------------------------------------


@require_GET
def page_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Privacy, accessibility, contact…: public, in the reader's language (Spanish where not translated)."""
    return render(request, "engine/page_detail.html", {"page": get_object_or_404(Page, slug=slug)})


# --- My notifications -----------------------------------------------------------------------------------


FOLLOWED_PER_PAGE = 20


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def subscriptions(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Mis avisos": follow mechanisms and topics, and choose how often each one writes. What the person
    follows one by one (consultations, councils…) is a list of its own, a page at a time: the form of a page
    has that page's items, and saving it changes only them."""
    mine = Subscription.objects.filter(user=request.user)
    followed = paginate(
        request,
        mine.filter(content_type__isnull=False).prefetch_related("target_object").order_by("-pk"),
        FOLLOWED_PER_PAGE,
    )
    form = SubscriptionsForm(
        request.POST if request.method == "POST" else None,
        topics=Topic.objects.active(),
        subscriptions=[*mine.filter(content_type__isnull=True), *followed],
    )
    if request.method == "POST" and form.is_valid():
        notification_services.subscriptions_update(user=request.user, changes=form.changes())
        messages.success(request, _("Guardamos sus preferencias de avisos."))
        return redirect(request.get_full_path())
    return render(request, "engine/subscriptions.html", {"form": form, "followed": followed})


# --- Unsubscribe ----------------------------------------------------------------------------------------


# Mail clients send RFC 8058 one-click POSTs without a CSRF token; the signed token is the authorisation,
# and it can only ever turn emails off.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subject, still_on = unsubscribe_subject(unsubscribe_request(token))
    except signing.BadSignature as error:
        return render(
            request,
            "engine/unsubscribe_invalid.html",
            {"revoked": isinstance(error, RevokedToken)},
            status=400,
        )
    if request.method == "POST":
        notification_services.unsubscribe_with_token(token=token)
        return render(request, "engine/unsubscribe_done.html", {"subject": subject})
    if not still_on:
        return render(request, "engine/unsubscribe_done.html", {"subject": subject, "already": True})
    return render(request, "engine/unsubscribe_confirm.html", {"subject": subject})


# --- Report jobs (staff) ----------------------------------------------------------------------------------


def _get_report_job_for_user(request: HttpRequest, pk: int) -> ReportJob:
    """Jobs the person may see; anything else is a 404, so ids reveal nothing."""
    return get_object_or_404(
        permissions.report_jobs_visible_to(request.user).select_related("requested_by").with_file_size(),
        pk=pk,
    )


def _require_staff(request: HttpRequest) -> None:
    if not is_verified_staff(request.user):
        raise PermissionDenied


@login_required
@require_GET
@mfa_required
def report_new(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    kinds = [
        kind
        for kind in all_kinds()
        if permissions.may_order_reports(request.user, permission=kind.permission)
    ]
    if not kinds:
        raise PermissionDenied
    return render(request, "engine/report_new.html", {"kinds": kinds})


@login_required
@require_http_methods(["GET", "POST"])
@mfa_required
def report_start(request: HttpRequest, kind: str) -> HttpResponse:
    _require_staff(request)
    report_kind = get_kind(kind)
    if report_kind is None:
        raise Http404
    if not permissions.may_order_reports(request.user, permission=report_kind.permission):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    options = ReportOptionsForm(data, initial={"language": get_language()})
    parameters = report_kind.form_class(data, user=request.user, prefix="p")
    if request.method == "POST" and options.is_valid() and parameters.is_valid():
        job = report_services.report_job_start(
            kind=report_kind.slug,
            requested_by=request.user,
            parameters=parameters.parameters(),
            format=options.cleaned_data["format"],
            language=options.cleaned_data["language"],
        )
        return redirect(job)
    return render(
        request,
        "engine/report_start.html",
        {"kind": report_kind, "options": options, "parameters": parameters},
    )


@login_required
@never_cache
@require_GET
@mfa_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _get_report_job_for_user(request, pk)
    download_url = ""
    if job.status == ReportStatus.DONE and permissions.may_download_report(request.user, job):
        # A fresh link each time the page is shown; a copied link dies after ENGINE_REPORT_LINK_MAX_AGE.
        token = report_services.report_download_token(job=job, user=request.user)
        download_url = reverse("engine:report-download", args=[job.pk, token])
    kind = get_kind(job.kind)
    may_publish = (
        kind is not None
        and job.status == ReportStatus.DONE
        and permissions.may_publish_report(request.user, job, permission=kind.permission)
    )
    return render(
        request,
        "engine/report_detail.html",
        {"job": job, "download_url": download_url, "may_publish": may_publish},
    )


@login_required
@require_POST
@mfa_required
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the report on the portal, or withdraw it (``action=withdraw``): an explicit staff step."""
    job = _get_report_job_for_user(request, pk)
    withdraw = request.POST.get("action") == "withdraw"
    try:
        if withdraw:
            report_services.report_job_unpublish(job=job, by=request.user)
        else:
            report_services.report_job_publish(job=job, by=request.user)
    except report_services.ReportNotPublishable as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Retiramos el reporte del portal.")
            if withdraw
            else _("Publicamos el reporte: es el archivo que el público descarga en este idioma y formato."),
        )
    return redirect(job)


@login_required
@never_cache
@require_GET
@mfa_required
def report_download(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    job = _get_report_job_for_user(request, pk)
    if not permissions.may_download_report(request.user, job):
        raise PermissionDenied
    check = report_services.report_download_token_check(token=token, job=job, user=request.user)
    if check != report_services.TOKEN_VALID:
        return render(
            request,
            "engine/report_link_invalid.html",
            {"job": job, "expired": check == report_services.TOKEN_EXPIRED},
            status=403,
        )
    if job.status != ReportStatus.DONE:
        raise Http404
    report_file = get_object_or_404(ReportFile, job=job)
    response = HttpResponse(bytes(report_file.content), content_type=report_file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{report_file.name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
