"""Who may see what, on every page and download: anonymous, a citizen, staff without the permission, staff
without a second factor, and editors."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers import enable_mfa, grant, logged_in
from tests.transparency.factories import (
    AttachmentFactory,
    BudgetRowFactory,
    PublicationFactory,
    draft,
    in_status,
)
from transparency.models import PublicationType, Status

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "alice", "staff", "no_mfa", "editor"]


@pytest.fixture
def browsers(alice, staff_member, editor, django_user_model) -> dict[str, Client]:
    no_mfa = django_user_model.objects.create_user(email="sinmfa@example.org", password="x", is_staff=True)
    grant(no_mfa, "view_publication", "change_publication")
    plain_staff = enable_mfa(
        django_user_model.objects.create_user(email="otro@example.org", password="x", is_staff=True)
    )
    return {
        "anonymous": Client(),
        "alice": logged_in(alice),
        "staff": logged_in(plain_staff),
        "no_mfa": logged_in(no_mfa),
        "editor": logged_in(editor),
    }


@pytest.fixture
def world():
    public = PublicationFactory(slug="publica", type=PublicationType.BUDGET)
    hidden = draft(slug="borrador", type=PublicationType.BUDGET)
    preview = in_status(Status.PREVIEW, slug="vista-previa")
    archived = in_status(Status.ARCHIVED, slug="archivada", published_on=date(2024, 1, 10))
    for publication in (public, hidden):
        AttachmentFactory(publication=publication)
        BudgetRowFactory(publication=publication)
    return {
        "public": public,
        "hidden": hidden,
        "preview": preview,
        "archived": archived,
        "public_attachment": public.attachments.get().pk,
        "hidden_attachment": hidden.attachments.get().pk,
    }


LOGIN = "login"
MFA = "mfa"
CASES = [
    # (url name, kwargs from the world, expected for anonymous, alice, staff, staff without MFA, editor)
    ("transparency:index", {}, [200, 200, 200, 200, 200]),
    ("transparency:detail", {"slug": "publica"}, [200, 200, 200, 200, 200]),
    ("transparency:detail", {"slug": "archivada"}, [200, 200, 200, 200, 200]),
    ("transparency:detail", {"slug": "borrador"}, [404, 404, 404, 404, 200]),
    ("transparency:detail", {"slug": "vista-previa"}, [404, 404, 404, 404, 200]),
    ("transparency:version", {"slug": "publica", "number": 1}, [200, 200, 200, 200, 200]),
    ("transparency:attachment", {"slug": "publica", "pk": "public_attachment"}, [200, 200, 200, 200, 200]),
    ("transparency:attachment", {"slug": "borrador", "pk": "hidden_attachment"}, [404, 404, 404, 404, 200]),
    # An attachment asked for under another publication's address is not found.
    ("transparency:attachment", {"slug": "publica", "pk": "hidden_attachment"}, [404, 404, 404, 404, 404]),
    ("transparency:budget", {"slug": "publica", "fmt": "csv"}, [200, 200, 200, 200, 200]),
    ("transparency:budget", {"slug": "borrador", "fmt": "xlsx"}, [404, 404, 404, 404, 200]),
    ("transparency:review", {}, [LOGIN, 404, 404, MFA, 200]),
    ("transparency:open-data", {}, [200, 200, 200, 200, 200]),
    ("transparency:feed-rss", {}, [200, 200, 200, 200, 200]),
]


def resolve(kwargs: dict, world: dict) -> dict:
    return {
        key: world.get(value, value) if isinstance(value, str) else value for key, value in kwargs.items()
    }


@pytest.mark.parametrize(("name", "kwargs", "expected"), CASES)
def test_get(browsers, world, name, kwargs, expected):
    url = reverse(name, kwargs=resolve(kwargs, world))
    for persona, outcome in zip(PERSONAS, expected, strict=True):
        response = browsers[persona].get(url)
        if outcome == LOGIN:
            assert response.status_code == 302 and "/cuenta/" in response["Location"], persona
        elif outcome == MFA:
            assert response.status_code == 302 and "totp" in response["Location"], persona
        else:
            assert response.status_code == outcome, (persona, url)


def test_the_list_never_shows_drafts_to_the_public_but_editors_see_them_marked(browsers, world):
    public_page = browsers["anonymous"].get(reverse("transparency:index")).content.decode()
    assert "/informacion/publica/" in public_page and "/informacion/archivada/" in public_page
    assert "/informacion/borrador/" not in public_page and "/informacion/vista-previa/" not in public_page
    editor_page = browsers["editor"].get(reverse("transparency:index")).content.decode()
    assert "/informacion/borrador/" in editor_page and "Borrador" in editor_page


def test_following_a_type_needs_an_account_and_a_post(browsers, world):
    url = reverse("transparency:follow-type", kwargs={"type": "budget"})
    assert browsers["anonymous"].post(url).status_code == 302
    assert browsers["alice"].get(url).status_code == 405
    assert browsers["alice"].post(url).status_code == 302
    assert (
        browsers["alice"].post(reverse("transparency:follow-type", kwargs={"type": "nada"})).status_code
        == 404
    )


def test_a_drafts_attachment_is_private_and_a_public_one_cacheable(browsers, world):
    public = browsers["anonymous"].get(
        reverse("transparency:attachment", kwargs={"slug": "publica", "pk": world["public_attachment"]})
    )
    private = browsers["editor"].get(
        reverse("transparency:attachment", kwargs={"slug": "borrador", "pk": world["hidden_attachment"]})
    )
    assert "private" not in public.get("Cache-Control", "")
    assert "private" in private["Cache-Control"]
    assert public["Content-Type"] == "application/pdf" and public["X-Content-Type-Options"] == "nosniff"
