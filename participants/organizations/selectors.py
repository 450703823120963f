"""Reads of the registry's pages; they own their queries (constant in number, whatever the rows)."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from participants.models import Organization, OrganizationDecision, OrganizationDocument
from participants.organizations import permissions

PUBLIC_FIELDS = (
    "pk",
    "legal_name",
    "category",
    "region",
    "commune",
    "legal_form",
    "accredited_at",
    "website",
)


def public_list(*, query: str = "", category: int | None = None, region: str = "") -> QuerySet[Organization]:
    organizations = permissions.visible_to(permissions.ANONYMOUS).only(*PUBLIC_FIELDS)
    if query:
        organizations = organizations.filter(Q(legal_name__icontains=query) | Q(commune__icontains=query))
    if category:
        organizations = organizations.filter(category=category)
    if region:
        organizations = organizations.filter(region=region)
    return organizations.order_by("category", "region", "legal_name", "pk")


def organization_for_user(*, user, pk: int) -> Organization:
    """The organisation if ``user`` may see it (404 otherwise, the same as for one that does not exist)."""
    organization = Organization.objects.filter(pk=pk).first()
    if organization is None or not permissions.may_view(user, organization):
        raise Http404
    return organization


def dashboard_organizations(*, user) -> list[Organization]:
    return list(
        Organization.objects.represented_by(user)
        .prefetch_related(
            Prefetch("documents", queryset=OrganizationDocument.objects.order_by("uploaded_at", "pk")),
            "representatives__user",
            Prefetch("decisions", queryset=OrganizationDecision.objects.order_by("-decided_at", "-pk")),
        )
        .order_by("legal_name", "pk")
    )


def document_for_user(*, user, organization_pk: int, pk: int) -> OrganizationDocument:
    document = (
        OrganizationDocument.objects.select_related("organization")
        .filter(pk=pk, organization_id=organization_pk)
        .first()
    )
    if document is None or not permissions.may_view_document(user, document):
        raise Http404
    return document
