"""The registry's pages: the public list and page, the representative's dashboard, application, updates,
representatives and documents. Access is decided by ``permissions`` (through ``selectors``); what a person
may not see is a 404."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from engine.files import serve_file
from participants.models import Organization, OrganizationRepresentative
from participants.organizations import dashboard as dashboard_blocks
from participants.organizations import permissions, selectors, services
from participants.organizations.forms import OrganizationForm, RegistrySearchForm, RepresentativeAddForm


def index(request: HttpRequest) -> HttpResponse:
    """``/cosoc/organizaciones/``: accredited organisations by category and region, with search."""
    form = RegistrySearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organizations = selectors.public_list(
        query=(filters.get("q") or "").strip(),
        category=filters.get("category"),
        region=filters.get("region") or "",
    )
    page = Paginator(organizations, settings.REGISTRY_PAGE_SIZE).get_page(request.GET.get("pagina"))
    params = urlencode({key: value for key, value in (filters or {}).items() if value not in ("", None)})
    return render(
        request,
        "participants/organizations/organization_list.html",
        {"form": form, "page": page, "params": params, "filtered": bool(params)},
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_for_user(user=request.user, pk=pk)
    return render(
        request,
        "participants/organizations/organization_detail.html",
        {"organization": organization, "private": permissions.may_view_private(request.user, organization)},
    )


@never_cache
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The representative's page: each organisation's status, staff's reasons, documents, representatives,
    and what other apps say about it (the COSOC election)."""
    organizations = selectors.dashboard_organizations(user=request.user)
    blocks = dashboard_blocks.blocks_for(user=request.user, organizations=organizations)
    rows = [
        {
            "organization": organization,
            "may_update": permissions.may_update(request.user, organization),
            "blocks": blocks.get(organization.pk, []),
        }
        for organization in organizations
    ]
    return render(
        request,
        "participants/organizations/dashboard.html",
        {"rows": rows, "representative_form": RepresentativeAddForm()},
    )


@never_cache
@login_required
def apply(request: HttpRequest) -> HttpResponse:
    if not permissions.may_apply(request.user):
        raise Http404
    form = OrganizationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_apply(
                user=request.user,
                data=form.data_for_service(),
                documents=form.new_documents(),
                position=form.cleaned_data.get("position", ""),
            )
        except services.RegistryRefusal as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("Recibimos la postulación de «%(name)s». Le avisaremos cuando el equipo la revise.")
                % {"name": organization.legal_name},
            )
            return redirect("organizations:dashboard")
    return render(
        request, "participants/organizations/organization_form.html", {"form": form, "updating": False}
    )


def _organization_to_update(request: HttpRequest, pk: int) -> Organization:
    organization = Organization.objects.filter(pk=pk).first()
    if organization is None or not permissions.may_update(request.user, organization):
        raise Http404
    return organization


@never_cache
@login_required
def update(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _organization_to_update(request, pk)
    form = OrganizationForm(request.POST or None, request.FILES or None, instance=organization, updating=True)
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.organization_update(
                organization=organization,
                by=request.user,
                data=form.data_for_service(),
                documents=form.new_documents(),
            )
        except services.RegistryRefusal as refusal:
            form.add_error(None, str(refusal))
        else:
            if updated.has_requested_change:
                message = _(
                    "Guardamos los datos. El cambio de nombre legal o de categoría queda pendiente "
                    "hasta que el equipo de SERMIG lo apruebe."
                )
            elif updated.is_accredited:
                message = _("Guardamos los datos de la organización.")
            else:
                message = _("Guardamos los datos y enviamos la postulación al equipo de SERMIG.")
            messages.success(request, message)
            return redirect("organizations:dashboard")
    if request.method == "GET" and organization.is_accredited:
        # The form shows what the organisation asked for, pending staff's approval.
        if organization.requested_legal_name:
            form.initial["legal_name"] = organization.requested_legal_name
        if organization.requested_category is not None:
            form.initial["category"] = organization.requested_category
    return render(
        request,
        "participants/organizations/organization_form.html",
        {"form": form, "organization": organization, "updating": True},
    )


@require_POST
@login_required
def representative_add(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _organization_to_update(request, pk)
    form = RepresentativeAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Escriba un correo válido, por ejemplo nombre@ejemplo.cl."))
        return redirect("organizations:dashboard")
    try:
        representative = services.representative_add(
            organization=organization,
            by=request.user,
            email=form.cleaned_data["email"],
            position=form.cleaned_data["position"],
        )
    except services.RegistryRefusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("%(email)s ahora puede actuar en nombre de «%(name)s».")
            % {"email": representative.user.email, "name": organization.legal_name},
        )
    return redirect("organizations:dashboard")


@require_POST
@login_required
def representative_remove(request: HttpRequest, pk: int, representative_pk: int) -> HttpResponse:
    organization = _organization_to_update(request, pk)
    representative = get_object_or_404(
        OrganizationRepresentative.objects.select_related("organization", "user"),
        pk=representative_pk,
        organization=organization,
    )
    try:
        services.representative_remove(representative=representative, by=request.user)
    except services.RegistryRefusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("%(email)s ya no representa a «%(name)s».")
            % {"email": representative.user.email, "name": organization.legal_name},
        )
    return redirect("organizations:dashboard")


def document(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """A supporting document, for the organisation's representatives and staff only (404 for anyone else)."""
    found = selectors.document_for_user(user=request.user, organization_pk=pk, pk=document_pk)
    return serve_file(request, found.file, download_name=found.file_name or found.get_kind_display())
