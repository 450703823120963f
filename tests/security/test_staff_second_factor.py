"""Issue 11, item 3: a second factor on every staff page, not only /admin/.

Reproduction: a staff user with ``view_consultation`` and no TOTP saw an unpublished consultation, its hidden
results and the staff preview (``?vista_previa=1``) of an open one. Every staff right now goes through
``participants.permissions.staff_may``, which requires an activated second factor.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from consultations import permissions
from tests.consultations.factories import ConsultationFactory, build_questionnaire
from tests.helpers import enable_mfa, grant, logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_questionnaire(db):
    return build_questionnaire(ConsultationFactory(slug="abierta"))


@pytest.fixture
def closed_questionnaire(db):
    return build_questionnaire(ConsultationFactory(closed=True, slug="cerrada"))


@pytest.fixture
def unpublished_questionnaire(db):
    return build_questionnaire(ConsultationFactory(is_published=False, slug="borrador"))


@pytest.fixture
def previewer(staff_member):
    """Staff allowed to view consultations before publication, who never set up a second factor."""
    return grant(staff_member, "view_consultation", "enter_assisted_response", "moderate_answers")


def test_without_a_second_factor_staff_see_only_what_the_public_sees(
    previewer, unpublished_questionnaire, closed_questionnaire, open_questionnaire
):
    browser = logged_in(previewer)
    detail = reverse("consultations:detail", kwargs={"slug": unpublished_questionnaire.slug})
    results = reverse("consultations:results", kwargs={"slug": closed_questionnaire.slug})
    answer = reverse("consultations:answer", kwargs={"slug": open_questionnaire.slug, "step": 1})
    assert browser.get(detail).status_code == 404
    assert browser.get(f"{results}?vista_previa=1").status_code == 404
    page = browser.get(f"{answer}?vista_previa=1")
    assert page.status_code == 200 and page.context["preview"] is False


def test_with_a_second_factor_the_same_staff_preview(
    previewer, unpublished_questionnaire, closed_questionnaire, open_questionnaire
):
    browser = logged_in(enable_mfa(previewer))
    detail = reverse("consultations:detail", kwargs={"slug": unpublished_questionnaire.slug})
    results = reverse("consultations:results", kwargs={"slug": closed_questionnaire.slug})
    answer = reverse("consultations:answer", kwargs={"slug": open_questionnaire.slug, "step": 1})
    assert browser.get(detail).status_code == 200
    assert browser.get(f"{results}?vista_previa=1").status_code == 200
    assert browser.get(f"{answer}?vista_previa=1").context["preview"] is True


@pytest.mark.parametrize(
    "url",
    [
        lambda qn: reverse("consultations:assisted", kwargs={"slug": qn.slug}),
        lambda qn: reverse("engine:report-new"),
    ],
    ids=["assisted entry", "report ordering"],
)
def test_staff_pages_outside_the_admin_send_staff_to_set_up_the_second_factor(
    previewer, open_questionnaire, url
):
    grant(previewer, "add_reportjob", "view_response")
    response = logged_in(previewer).get(url(open_questionnaire))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_every_staff_predicate_needs_the_second_factor(admin_user, django_user_model, open_questionnaire):
    superuser_without = django_user_model.objects.create_superuser(email="sin@example.org", password="x" * 12)
    consultation = open_questionnaire.consultation
    checks = [
        permissions.may_preview,
        permissions.may_enter_assisted,
        permissions.may_moderate,
        permissions.may_view_responses,
        lambda user: permissions.may_view_results(user, consultation, preview=True),
    ]
    assert all(check(admin_user) for check in checks)  # a superuser with TOTP
    assert not any(check(superuser_without) for check in checks)
    assert not any(check(AnonymousUser()) for check in checks[:4])
