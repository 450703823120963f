import datetime

import pytest
from django.contrib.auth.models import Group

from cosoc import services
from cosoc.models import MEMBERS_GROUP, Role
from participants.mfa import mfa_required_for
from tests.cosoc.factories import MembershipFactory, OrganizationFactory, TermFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_creating_a_membership_puts_the_person_in_the_members_group_which_needs_a_second_factor():
    term = TermFactory()
    user = UserFactory(name="Marie Joseph")
    organization = OrganizationFactory(category=2)
    membership = services.membership_create(
        term=term, user=user, organization=organization, role=Role.PRESIDENT, start=term.start
    )
    assert membership.category == 2
    assert membership.public_name == "Marie Joseph"
    assert user.groups.filter(name=MEMBERS_GROUP).exists()
    assert mfa_required_for(user)


def test_ending_a_membership_takes_the_person_out_of_the_group():
    term = TermFactory()
    user = UserFactory()
    membership = services.membership_create(
        term=term, user=user, organization=OrganizationFactory(), role=Role.COUNCILLOR, start=term.start
    )
    services.membership_end(
        membership=membership, end=term.start + datetime.timedelta(days=30), reason="Renuncia"
    )
    membership.refresh_from_db()
    assert membership.reason_for_leaving == "Renuncia"
    assert not user.groups.filter(name=MEMBERS_GROUP).exists()
    assert not mfa_required_for(user)


def test_a_membership_cannot_end_without_a_reason_or_twice():
    membership = MembershipFactory()
    with pytest.raises(services.Refused, match="motivo"):
        services.membership_end(membership=membership, end=membership.start, reason="  ")
    services.membership_end(membership=membership, end=membership.start, reason="Renuncia")
    with pytest.raises(services.Refused, match="ya terminó"):
        services.membership_end(membership=membership, end=membership.start, reason="Otra vez")


def test_the_same_person_cannot_hold_two_open_seats_in_one_term():
    term = TermFactory()
    user = UserFactory()
    services.membership_create(
        term=term, user=user, organization=OrganizationFactory(), role="councillor", start=term.start
    )
    with pytest.raises(services.Refused):
        services.membership_create(
            term=term, user=user, organization=OrganizationFactory(), role="councillor", start=term.start
        )


def test_a_membership_starts_within_its_term():
    term = TermFactory()
    with pytest.raises(services.Refused):
        services.membership_create(
            term=term,
            user=UserFactory(),
            organization=OrganizationFactory(),
            role="councillor",
            start=term.end + datetime.timedelta(days=1),
        )


def test_the_members_group_exists_after_migrations():
    assert Group.objects.filter(name=MEMBERS_GROUP).exists()


def test_seats_of_an_ended_term_are_closed_by_the_sweep():
    past = TermFactory(start=datetime.date(2020, 1, 1), end=datetime.date(2021, 12, 31))
    user = UserFactory()
    services.membership_create(
        term=past, user=user, organization=OrganizationFactory(), role="councillor", start=past.start
    )
    assert services.memberships_sync_groups() == 1
    assert not user.groups.filter(name=MEMBERS_GROUP).exists()
