"""A councillor's "my data": her seats and her own observations, never other people's."""

import json

import pytest

from cosoc import services
from engine.notifications import selectors as notification_selectors
from participants.models import User
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db


def test_my_data_holds_my_seat_and_my_observations_only(member, secretary, in_review):
    item = in_review.items.get()
    mine = services.observation_post(author=member, item=item, text="Mi propia observación")
    services.observation_post(author=secretary, item=item, parent=mine, text="Respuesta de la secretaría")
    browser = logged_in(member)
    detail = browser.post("/cuenta/mis-datos/copia/")
    data = json.loads(browser.get(detail["Location"] + "descargar/").content)
    dumped = json.dumps(data["cosoc"], ensure_ascii=False)
    assert "Mi propia observación" in dumped and "Respuesta de la secretaría" not in dumped
    assert any(row.get("organization") for row in data["cosoc"]["data"])
    page = browser.get("/cuenta/mis-datos/").content.decode()
    assert "Mi propia observación" in page and "Respuesta de la secretaría" not in page


def test_following_a_session(browsers, in_review, planned):
    url = f"/cosoc/sesiones/{in_review.pk}/seguir/"
    response = browsers["anonymous"].post(url)
    assert response.status_code == 302 and "/cuenta/login/" in response["Location"]
    assert browsers["citizen"].post(url).status_code == 302
    assert browsers["citizen"].get(url).status_code == 405
    assert browsers["citizen"].post(f"/cosoc/sesiones/{planned.pk}/seguir/").status_code == 404
    alice = User.objects.get(email="alice@example.org")
    assert notification_selectors.is_following(user=alice, target=in_review)
    assert not notification_selectors.is_following(user=alice, target=planned)
