"""The executive secretary's admin: state changes through services with clear refusals, attendance through
the service, observations visible per item and never editable, approved minutes read only."""

import datetime

import pytest
from django.contrib.auth.models import Group

from cosoc import services
from cosoc.models import AttendanceStatus, Minutes, MinutesStatus, Observation, Session, SessionStatus
from tests.cosoc.conftest import _member
from tests.cosoc.factories import (
    AgendaItemFactory,
    MembershipFactory,
    OrganizationFactory,
    SessionFactory,
    today,
)
from tests.factories import UserFactory
from tests.helpers import admin_form_data, logged_in

pytestmark = pytest.mark.django_db

SESSIONS = "/admin/cosoc/session/"


@pytest.fixture
def secretary_browser(secretary):
    return logged_in(secretary)


def _action(browser, url, action, objects):
    return browser.post(url, {"action": action, "_selected_action": [o.pk for o in objects]}, follow=True)


def test_publishing_an_agenda_without_items_is_refused_with_a_clear_message(secretary_browser, term):
    empty = SessionFactory(term=term, title="Sesión vacía")
    response = _action(secretary_browser, SESSIONS, "publish_agenda", [empty])
    assert "no tiene puntos" in response.content.decode()
    empty.refresh_from_db()
    assert empty.status == SessionStatus.PLANNED


def test_the_secretary_publishes_an_agenda_and_marks_the_session_held(secretary_browser, term):
    session = SessionFactory(term=term, date=today())
    AgendaItemFactory(session=session)
    response = _action(secretary_browser, SESSIONS, "publish_agenda", [session])
    assert "1 tabla publicada" in response.content.decode()
    response = _action(secretary_browser, SESSIONS, "mark_held", [session])
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD


def test_approving_minutes_of_a_session_not_held_is_refused(secretary_browser, in_review):
    minutes = Minutes.objects.create(session=in_review, body_es="<p>Acta</p>")
    response = _action(secretary_browser, "/admin/cosoc/minutes/", "approve", [minutes])
    assert "la sesión no se ha realizado" in response.content.decode()
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.DRAFT


def test_the_secretary_shares_and_approves_minutes_in_admin(secretary_browser, held_with_draft):
    draft = held_with_draft.minutes.get()
    _action(secretary_browser, "/admin/cosoc/minutes/", "approve", [draft])
    draft.refresh_from_db()
    held_with_draft.refresh_from_db()
    assert draft.status == MinutesStatus.APPROVED and held_with_draft.status == SessionStatus.MINUTES_APPROVED
    page = secretary_browser.get(f"/admin/cosoc/minutes/{draft.pk}/change/").content.decode()
    assert 'name="body_es"' not in page  # read only once approved
    response = _action(secretary_browser, "/admin/cosoc/minutes/", "correct", [draft])
    assert "1 corrección creada" in response.content.decode()
    assert Minutes.objects.filter(session=held_with_draft, version=2, status=MinutesStatus.DRAFT).exists()


def test_attendance_is_recorded_through_the_session_page(secretary_browser, term, held_with_draft):
    membership = _member(term, "presente@example.org")
    page = secretary_browser.get(f"{SESSIONS}{held_with_draft.pk}/change/")
    data = admin_form_data(page)
    prefix = "attendance"
    data[f"{prefix}-TOTAL_FORMS"] = "1"
    data[f"{prefix}-0-membership"] = str(membership.pk)
    data[f"{prefix}-0-status"] = AttendanceStatus.PRESENT
    response = secretary_browser.post(f"{SESSIONS}{held_with_draft.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert held_with_draft.attendance.get().membership == membership


def test_the_attendance_picker_offers_only_this_terms_sitting_members(
    secretary_browser, term, old_term, held_with_draft
):
    _member(term, "actual@example.org")
    MembershipFactory(term=old_term, public_name="Integrante Antigua")
    page = secretary_browser.get(f"{SESSIONS}{held_with_draft.pk}/change/").content.decode()
    assert "Actual" in page and "Integrante Antigua" not in page


def test_observations_are_visible_per_item_and_never_editable(secretary_browser, member, in_review):
    item = in_review.items.get()
    services.observation_post(author=member, item=item, text="Mi observación sobre el punto")
    page = secretary_browser.get(f"/admin/cosoc/agendaitem/{item.pk}/change/").content.decode()
    assert "Mi observación sobre el punto" in page
    observation = Observation.objects.get()
    assert secretary_browser.get(f"/admin/cosoc/observation/{observation.pk}/change/").status_code == 200
    secretary_browser.post(f"/admin/cosoc/observation/{observation.pk}/change/", {"text": "cambiada"})
    assert (
        secretary_browser.post(
            f"/admin/cosoc/observation/{observation.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    observation.refresh_from_db()
    assert observation.text == "Mi observación sobre el punto"


def test_staff_without_the_role_do_not_reach_cosoc_admin(staff_without_role, in_review):
    browser = logged_in(staff_without_role)
    for url in (SESSIONS, f"{SESSIONS}{in_review.pk}/change/", "/admin/cosoc/observation/"):
        assert browser.get(url).status_code in (302, 403, 404), url


def test_ending_a_membership_in_admin_takes_the_person_out_of_the_members_group(secretary_browser, term):
    membership = _member(term, "saliente@example.org")
    url = f"/admin/cosoc/membership/{membership.pk}/change/"
    data = admin_form_data(secretary_browser.get(url))
    data.update({"end": (today() - datetime.timedelta(days=1)).isoformat(), "reason_for_leaving": "Renuncia"})
    response = secretary_browser.post(url, data)
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.end and not membership.user.groups.filter(name="COSOC members").exists()


def test_creating_a_membership_in_admin_adds_the_person_to_the_group(secretary_browser, term):
    user = UserFactory(email="nueva@example.org", name="Nueva Consejera")
    organization = OrganizationFactory(category=3)
    response = secretary_browser.post(
        "/admin/cosoc/membership/add/",
        {
            "term": term.pk,
            "user": user.pk,
            "public_name": "Nueva Consejera",
            "organization": organization.pk,
            "role": "councillor",
            "start": term.start.isoformat(),
            "published_gender": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert user.groups.filter(name="COSOC members").exists()
    assert user.cosoc_memberships.get().category == 3


def test_the_secretary_role_holds_the_cosoc_permissions():
    group = Group.objects.get(name="COSOC secretary")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"change_session", "take_part_in_review", "view_observation", "change_minutes"} <= codenames
    assert "change_observation" not in codenames and "delete_observation" not in codenames


def test_session_change_page_shows_quorum_warning(secretary_browser, term):
    session = SessionFactory(term=term, date=today() - datetime.timedelta(days=1), status=SessionStatus.HELD)
    for number in range(3):
        _member(term, f"m{number}@example.org")
    page = secretary_browser.get(f"{SESSIONS}{session.pk}/change/").content.decode()
    assert "Sin quórum" in page
    assert Session.objects.count() == 1
