"""'Mis avisos': people choose what may write to them and how often; they follow a consultation in one click."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engine.models import Frequency, Mechanism, Subscription, Topic
from tests.consultations.factories import ConsultationFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def form_data(page, **changes) -> dict:
    """The form as the browser would post it: every select with its current value, then the changes."""
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update(changes)
    return data


def test_anonymous_is_sent_to_log_in(client):
    response = client.get("/avisos/")
    assert response.status_code == 302 and "/cuenta/login/" in response["Location"]


def test_following_a_mechanism_and_a_topic_weekly(client, alice):
    client.force_login(alice)
    topic = Topic.objects.get(slug="proteccion-internacional")
    page = client.get("/avisos/")
    assert page.status_code == 200
    response = client.post(
        "/avisos/",
        form_data(
            page, mechanism_consultations=Frequency.IMMEDIATELY, **{f"topic_{topic.pk}": Frequency.WEEKLY}
        ),
    )
    assert response.status_code == 302
    mine = {(s.mechanism, s.topic_id): s.frequency for s in Subscription.objects.filter(user=alice)}
    assert mine == {(Mechanism.CONSULTATIONS, None): Frequency.IMMEDIATELY, ("", topic.pk): Frequency.WEEKLY}


def test_saving_without_changes_writes_nothing(client, alice):
    client.force_login(alice)
    page = client.get("/avisos/")
    client.post("/avisos/", form_data(page))
    assert not Subscription.objects.filter(user=alice).exists()


def test_turning_off_keeps_the_row_switched_off(client, alice):
    client.force_login(alice)
    Subscription.objects.create(user=alice, mechanism=Mechanism.COSOC, frequency=Frequency.IMMEDIATELY)
    page = client.get("/avisos/")
    client.post("/avisos/", form_data(page, mechanism_cosoc=Frequency.OFF))
    assert Subscription.objects.get(user=alice, mechanism=Mechanism.COSOC).frequency == Frequency.OFF


def test_tampered_frequency_is_refused(client, alice):
    client.force_login(alice)
    page = client.get("/avisos/")
    response = client.post("/avisos/", form_data(page, mechanism_cosoc="hourly"))
    assert response.status_code == 200
    assert "mechanism_cosoc" in response.context["form"].errors
    assert not Subscription.objects.filter(user=alice).exists()


def test_people_see_only_their_own_subscriptions(client, alice, bob):
    consultation = ConsultationFactory(title="Consulta que sigue Bob")
    client.force_login(bob)
    client.post(f"/consultas/{consultation.slug}/seguir/")
    client.force_login(alice)
    assert "Consulta que sigue Bob" not in client.get("/avisos/").content.decode()


def test_follow_a_consultation_in_one_click(client, alice):
    consultation = ConsultationFactory(title="Consulta sobre salud")
    client.force_login(alice)
    assert "Seguir esta consulta" in client.get(consultation.get_absolute_url()).content.decode()
    response = client.post(f"/consultas/{consultation.slug}/seguir/", follow=True)
    assert response.status_code == 200
    subscription = Subscription.objects.get(user=alice, object_id=consultation.pk)
    assert subscription.target_object == consultation
    assert "Administrar mis avisos" in response.content.decode()
    # It is listed, and can be switched to the weekly digest from "Mis avisos".
    page = client.get("/avisos/")
    assert "Consulta sobre salud" in page.content.decode()
    client.post("/avisos/", form_data(page, **{f"object_{subscription.pk}": Frequency.WEEKLY}))
    subscription.refresh_from_db()
    assert subscription.frequency == Frequency.WEEKLY


def test_following_needs_login_and_post(client):
    consultation = ConsultationFactory()
    assert client.post(f"/consultas/{consultation.slug}/seguir/").status_code == 302
    assert not Subscription.objects.exists()
    client.force_login(UserFactory())
    assert client.get(f"/consultas/{consultation.slug}/seguir/").status_code == 405


def test_unpublished_consultation_cannot_be_followed(client, alice):
    consultation = ConsultationFactory(is_published=False)
    client.force_login(alice)
    assert client.post(f"/consultas/{consultation.slug}/seguir/").status_code == 404


def follow(user, n: int) -> list[Subscription]:
    return [
        Subscription.objects.create(
            user=user, target_object=ConsultationFactory(), frequency=Frequency.IMMEDIATELY
        )
        for _ in range(n)
    ]


def test_what_a_person_follows_is_a_page_at_a_time_and_costs_the_same_10_vs_100(client, alice):
    client.force_login(alice)
    follow(alice, 10)
    client.get("/avisos/")
    with CaptureQueriesContext(connection) as with_10:
        client.get("/avisos/")
    follow(alice, 90)
    with CaptureQueriesContext(connection) as with_100:
        page = client.get("/avisos/")
    assert len(with_100) == len(with_10)
    assert len(page.context["form"].items()) == 20
    assert "Página 1 de 5" in page.content.decode() and 'href="?pagina=2"' in page.content.decode()


def test_saving_a_page_changes_only_that_pages_items(client, alice):
    client.force_login(alice)
    oldest, *_rest = follow(alice, 25)  # the newest first: the oldest is on page 2
    page = client.get("/avisos/", {"pagina": 2})
    assert [field.name for field in page.context["form"].items()][-1] == f"object_{oldest.pk}"
    saved = client.post("/avisos/?pagina=2", form_data(page, **{f"object_{oldest.pk}": Frequency.WEEKLY}))
    assert (saved.status_code, saved["Location"]) == (302, "/avisos/?pagina=2")
    assert Subscription.objects.get(pk=oldest.pk).frequency == Frequency.WEEKLY
    assert Subscription.objects.filter(frequency=Frequency.IMMEDIATELY).count() == 24
