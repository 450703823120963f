"""What the registry adds to shared pages: "my data" lists the organisations a person represents."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from engine import sitemaps
from participants import data_export
from participants.models import OrganizationRepresentative


def _roles(user):
    return OrganizationRepresentative.objects.filter(user=user).select_related("organization").order_by("pk")


def _my_organizations(user, participant) -> list[dict]:
    return [
        {
            "organization": role.organization.legal_name,
            "status": role.organization.status,
            "position": role.position,
            "since": data_export.iso(role.added_at),
        }
        for role in _roles(user)
    ]


def _my_organizations_readable(user, participant) -> list[data_export.Group]:
    return [
        data_export.Group(
            role.organization.legal_name,
            [
                data_export.Item(_("Estado"), role.organization.get_status_display()),
                data_export.Item(_("Cargo"), role.position),
                data_export.Item(_("Representante desde"), role.added_at),
            ],
        )
        for role in _roles(user)
    ]


data_export.register(
    "organizations", _("Organizaciones que represento"), _my_organizations, _my_organizations_readable
)

# The public list of accredited organisations.
sitemaps.register("organizations-pages", sitemaps.PagesSitemap(["organizations:index"]))
