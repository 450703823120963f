"""The access matrix: every COSOC page, download and POST for anonymous, a citizen, a current member, an
ex-member, a member of another term, the executive secretary and staff without the secretary's role."""

import pytest
from django.urls import reverse

from cosoc.models import AgendaDocument, Observation
from tests.cosoc.conftest import PERSONAS, _member
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db

LOGIN = "login"


@pytest.fixture
def world(in_review, planned, held_with_draft, approved, old_session):
    members_document = AgendaDocument.objects.get(title="Borrador reservado XYZZY")
    return {
        "in_review": in_review.pk,
        "planned": planned.pk,
        "held": held_with_draft.pk,
        "approved": approved.pk,
        "old": old_session.pk,
        "public_document": AgendaDocument.objects.get(title="Presentación pública").pk,
        "members_document": members_document.pk,
        "old_document": AgendaDocument.objects.get(title="Documento antiguo reservado").pk,
        "item": in_review.items.get().pk,
        "old_item": old_session.items.get().pk,
    }


ALL_200 = [200] * 7
GET_CASES = [
    # url name, kwargs (world keys), expected per persona in PERSONAS order:
    # anonymous, citizen, member, ex_member, other_term, secretary, staff without the role
    ("cosoc:index", {}, ALL_200),
    ("cosoc:sessions", {}, ALL_200),
    ("cosoc:agreements", {}, ALL_200),
    ("cosoc:sessions-ical", {}, ALL_200),
    ("cosoc:session", {"pk": "in_review"}, ALL_200),
    ("cosoc:session", {"pk": "planned"}, [404, 404, 404, 404, 404, 200, 404]),
    ("cosoc:session-ical", {"pk": "in_review"}, ALL_200),
    ("cosoc:session-ical", {"pk": "planned"}, [404] * 7),
    ("cosoc:review", {"pk": "in_review"}, [LOGIN, 404, 200, 404, 404, 200, 404]),
    ("cosoc:review", {"pk": "held"}, [LOGIN, 404, 200, 404, 404, 200, 404]),
    ("cosoc:review", {"pk": "planned"}, [LOGIN, 404, 404, 404, 404, 404, 404]),
    ("cosoc:review", {"pk": "old"}, [LOGIN, 404, 404, 404, 404, 200, 404]),
    ("cosoc:review", {"pk": 999999}, [LOGIN, 404, 404, 404, 404, 404, 404]),
    ("cosoc:document", {"pk": "public_document"}, ALL_200),
    ("cosoc:document", {"pk": "members_document"}, [404, 404, 200, 404, 404, 200, 404]),
    ("cosoc:document", {"pk": "old_document"}, [404, 404, 404, 404, 404, 200, 404]),
    ("cosoc:document", {"pk": 999999}, [404] * 7),
    ("cosoc:minutes", {"pk": "approved"}, ALL_200),
    ("cosoc:minutes", {"pk": "held"}, [404] * 7),
    ("cosoc:minutes", {"pk": "planned"}, [404] * 7),
]


def _url(name, kwargs, world):
    return reverse(name, kwargs={key: world.get(value, value) for key, value in kwargs.items()})


@pytest.mark.parametrize(("name", "kwargs", "expected"), GET_CASES, ids=[f"{c[0]}-{c[1]}" for c in GET_CASES])
def test_every_page_answers_each_persona_as_the_rules_say(browsers, world, name, kwargs, expected):
    url = _url(name, kwargs, world)
    for persona, outcome in zip(PERSONAS, expected, strict=True):
        response = browsers[persona].get(url)
        if outcome == LOGIN:
            assert response.status_code == 302, persona
            assert "/cuenta/login/" in response["Location"], persona
        else:
            assert response.status_code == outcome, (persona, url, response.status_code)


POSTERS = {"member": True, "secretary": True}


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_current_members_and_the_secretary_post_observations(browsers, world, persona):
    url = reverse("cosoc:observe", kwargs={"pk": world["in_review"]})
    response = browsers[persona].post(
        url, {"target": f"item-{world['item']}", "text": f"Observación de {persona}"}
    )
    posted = Observation.objects.filter(text=f"Observación de {persona}").exists()
    if persona == "anonymous":
        assert response.status_code == 302 and "/cuenta/login/" in response["Location"]
    elif POSTERS.get(persona):
        assert response.status_code == 302
        assert response["Location"].endswith(f"#item-{world['item']}")
    else:
        assert response.status_code == 404
    assert posted == bool(POSTERS.get(persona))


def test_an_item_of_another_session_is_404_even_for_a_member(browsers, world):
    url = reverse("cosoc:observe", kwargs={"pk": world["in_review"]})
    for target in (f"item-{world['old_item']}", "item-999999", "item-abc", "session-1", ""):
        response = browsers["member"].post(url, {"target": target, "text": "Hola"})
        assert response.status_code == 404, target
    assert not Observation.objects.filter(text="Hola").exists()


def test_a_member_without_a_second_factor_is_sent_to_set_it_up(term, in_review):
    membership = _member(term, "sinmfa@example.org")
    membership.user.authenticator_set.all().delete()
    response = logged_in(membership.user).get(reverse("cosoc:review", kwargs={"pk": in_review.pk}))
    assert response.status_code == 302
    assert "/cuenta/2fa/" in response["Location"] or "totp" in response["Location"]
