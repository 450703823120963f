"""Every write of the COSOC app: keyword-only, one transaction, refusals as :class:`Refused` with a translated
message that staff and members read as it is (admin actions and pages show ``str(error)``).

Memberships keep the "COSOC members" group in step (that group needs a second factor, ``MFA_REQUIRED_GROUPS``);
a session moves planned → agenda published → held → minutes approved and nothing else; approved minutes never
change (a correction is a new version).
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cosoc.models import (
    MEMBERS_GROUP,
    Membership,
    Term,
)
from participants.models import Organization, User


class Refused(Exception):
    """A write the rules do not allow; ``str(error)`` is the translated reason."""


# --- Memberships -----------------------------------------------------------------------------------------


def _members_group() -> Group:
    group, _created = Group.objects.get_or_create(name=MEMBERS_GROUP)
    return group


def _sync_group(user: User) -> None:
    """In the group while the person holds a membership that is not ended (a second factor is then required)."""
    group = _members_group()
    if Membership.objects.filter(user=user, end__isnull=True).exists():
        user.groups.add(group)
    else:
        user.groups.remove(group)


def membership_create(
    *,
    term: Term,
    user: User,
    organization: Organization,
    role: str,
    start: datetime.date,
    public_name: str = "",
    published_gender: str = "",
    substitute_for: Membership | None = None,
) -> Membership:
    """Seat ``user`` for ``organization`` in ``term``; the category is the organisation's."""
    if not term.start <= start <= term.end:
        raise Refused(_("La fecha de inicio debe estar dentro del periodo."))
    name = public_name or user.name
    if not name:
        raise Refused(_("Indique el nombre público de la persona integrante."))
    with transaction.atomic():
        if Membership.objects.filter(term=term, user=user, end__isnull=True).exists():
            raise Refused(_("Esta persona ya es integrante de este periodo."))
        membership = Membership(
            term=term,
            user=user,
            public_name=name,
            organization=organization,
            category=organization.category,
            role=role,
            start=start,
            published_gender=published_gender,
            substitute_for=substitute_for,
        )
        membership.full_clean()
        membership.save()
        _sync_group(user)
    return membership


def membership_end(*, membership: Membership, end: datetime.date, reason: str) -> Membership:
    """End a seat (resignation, replacement, end of term…); the person leaves the members' group unless they
    hold another open seat."""
    reason = reason.strip()
    if not reason:
        raise Refused(_("Indique el motivo del término."))
    if end < membership.start:
        raise Refused(_("El término no puede ser anterior al inicio."))
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.end is not None:
            raise Refused(_("Esta participación en el consejo ya terminó."))
        locked.end = end
        locked.reason_for_leaving = reason
        locked.save(update_fields=["end", "reason_for_leaving"])
        _sync_group(locked.user)
    membership.end, membership.reason_for_leaving = end, reason
    return membership


def membership_save(*, membership: Membership) -> Membership:
    """Admin edits of a seat (role, public name, published gender…); group membership follows."""
    with transaction.atomic():
        membership.category = membership.organization.category
        membership.full_clean()
        membership.save()
        _sync_group(membership.user)
    return membership


def memberships_sync_groups(*, today: datetime.date | None = None) -> int:
    """Close seats of terms that ended (periodic): nobody keeps the group, or its second-factor rule, forever."""
    today = today or timezone.localdate()
    expired = Membership.objects.filter(end__isnull=True, term__end__lt=today).select_related("term", "user")
    count = 0
    for membership in expired:
        membership_end(membership=membership, end=membership.term.end, reason=_("Fin del periodo"))
        count += 1
    return count
