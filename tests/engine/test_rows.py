"""engine.rows.RowReader reads what the queryset it was built from reads, compiled once."""

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from consultations.models import Consultation
from engine.rows import RowReader
from tests.consultations.factories import ConsultationFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FIELDS = ("slug", "title", "closes_at", "is_published")
BY_SLUG = RowReader(
    lambda slug: (
        Consultation.objects.filter(slug=slug).only(*FIELDS).annotate(twice=F("results_version") * 2)
    ),
    slug="\x00slug",
)


def test_the_row_is_the_querysets_own_with_the_same_deferred_fields_and_annotations():
    made = ConsultationFactory(slug="plan-2026", title="Plan 2026")
    read = BY_SLUG.get(slug="plan-2026")
    orm = Consultation.objects.filter(slug="plan-2026").only(*FIELDS).get()
    assert (read.pk, read.title, read.closes_at, read.is_published) == (
        made.pk,
        "Plan 2026",
        orm.closes_at,
        True,
    )
    assert read.closes_at.tzinfo is not None  # the database's converters ran (SQLite stores text)
    assert read.get_deferred_fields() == orm.get_deferred_fields() and "summary" in read.get_deferred_fields()
    assert read.twice == 2 * made.results_version
    assert BY_SLUG.get(slug="otra") is None


def test_each_read_is_one_query_with_the_callers_values():
    ConsultationFactory(slug="a")
    ConsultationFactory(slug="b")
    with CaptureQueriesContext(connection) as queries:
        assert [BY_SLUG.get(slug=s).slug for s in ("a", "b")] == ["a", "b"]
    assert len(queries) == 2


def test_a_user_read_by_the_sign_in_backend_is_the_whole_row(client):
    user = UserFactory(email="marie@example.org", name="Marie")
    client.force_login(user)
    response = client.get("/cuenta/perfil/")
    assert response.wsgi_request.user == user and response.wsgi_request.user.name == "Marie"


def test_a_stand_in_that_is_not_a_parameter_is_refused():
    reader = RowReader(lambda slug: Consultation.objects.filter(slug="fija"), slug="\x00slug")
    with pytest.raises(ValueError, match="stand-in"):
        reader.get(slug="x")
    joined = RowReader(
        lambda slug: Consultation.objects.filter(slug=slug).select_related("topic"), slug="\x00"
    )
    with pytest.raises(ValueError, match="select_related"):
        joined.get(slug="x")


def test_a_deactivated_account_is_signed_out_on_its_next_request(client):
    user = UserFactory(email="inactiva@example.org")
    client.force_login(user)
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    assert not client.get("/cuenta/perfil/").wsgi_request.user.is_authenticated
