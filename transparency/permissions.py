"""Who may see and do what in the relevant-information register. Every surface asks these predicates.

Pages, attachment downloads, budget and open-data exports, the search index, feeds, the sitemap, the home
page's "what's new" and emails all call the predicate of the publication they show: "is it public?" is
``may_view(ANONYMOUS, publication)``. Views turn a ``False`` into a 404. The URL × persona table in
``tests/transparency/test_permissions.py`` is the test of this module.

Staff rights always need an activated second factor (``participants.permissions.staff_may``).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from participants.permissions import ANONYMOUS, staff_may
from transparency.models import PUBLIC_STATUSES, Attachment, Publication

__all__ = [
    "ANONYMOUS",
    "may_preview",
    "may_review",
    "may_view",
    "may_view_attachment",
    "visible_q",
    "visible_to",
]


def may_preview(user) -> bool:
    """Staff who may read drafts and staff previews on the site, as the public will see them."""
    return staff_may(user, "transparency.view_publication")


def may_review(user) -> bool:
    """Staff who keep the register timely: the list of items past their review date."""
    return staff_may(user, "transparency.change_publication")


def visible_q(user, prefix: str = "") -> Q:
    """The visibility rule as a filter, on publications or on rows that belong to one (``"publication__"``)."""
    return Q() if may_preview(user) else Q(**{f"{prefix}status__in": PUBLIC_STATUSES})


def visible_to(user) -> QuerySet[Publication]:
    return Publication.objects.filter(visible_q(user))


def may_view(user, publication: Publication) -> bool:
    return publication.is_public or may_preview(user)


def may_view_attachment(user, attachment: Attachment) -> bool:
    return may_view(user, attachment.publication)
