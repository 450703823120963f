"""The register's rules: review dates from the update frequency, publishing, versions, personal data."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.transparency.factories import PublicationFactory, draft, published_days_ago
from transparency import rules, services
from transparency.models import Publication, PublicationType, Status, UpdateFrequency
from transparency.services import PublicationRefused

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("frequency", "last", "expected"),
    [
        ("monthly", date(2026, 1, 31), date(2026, 2, 28)),
        ("monthly", date(2024, 1, 31), date(2024, 2, 29)),
        ("quarterly", date(2026, 11, 15), date(2027, 2, 15)),
        ("half_yearly", date(2026, 8, 31), date(2027, 2, 28)),
        ("yearly", date(2026, 3, 1), date(2027, 3, 1)),
        ("none", date(2026, 3, 1), None),
        ("monthly", None, None),
    ],
)
def test_next_review_follows_the_frequency(frequency, last, expected):
    assert rules.next_review(frequency=frequency, last_update=last) == expected


def test_budgets_are_reviewed_monthly_by_default_and_the_rest_yearly():
    budget = PublicationFactory(type=PublicationType.BUDGET)
    policy = PublicationFactory(type=PublicationType.POLICY)
    today = timezone.localdate()
    assert budget.frequency == UpdateFrequency.MONTHLY
    assert budget.next_review_on == rules.add_months(today, 1)
    assert policy.next_review_on == rules.add_months(today, 12)
    policy.update_frequency = UpdateFrequency.QUARTERLY
    policy.save()
    assert policy.next_review_on == rules.add_months(today, 3)


def test_publishing_dates_it_and_writes_the_first_version_once():
    publication = draft(title="Política Nacional de Migración")
    assert publication.published_on is None and not publication.versions.exists()
    services.publication_publish(publication=publication)
    services.publication_publish(publication=publication)
    publication.refresh_from_db()
    assert publication.status == Status.PUBLISHED
    assert publication.published_on == publication.updated_on == timezone.localdate()
    [version] = publication.versions.all()
    assert version.number == 1 and version.change_note == "Primera publicación."
    assert version.change_note_ht and version.change_note_en != version.change_note


def test_a_substantive_update_keeps_the_earlier_text_readable():
    publication = published_days_ago(40, title="Plan 2026")
    publication.summary = publication.summary_es = "Nuevo resumen con las cifras de octubre."
    services.publication_update(publication=publication, change_note="Se agregan las cifras de octubre.")
    publication.refresh_from_db()
    assert publication.updated_on == timezone.localdate()
    assert publication.published_on == timezone.localdate() - timedelta(days=40)
    current, earlier = publication.versions.order_by("-number")
    assert (current.number, earlier.number) == (2, 1)
    assert current.summary == "Nuevo resumen con las cifras de octubre."
    assert earlier.summary == "Un resumen corto, en palabras simples."
    assert current.change_note == "Se agregan las cifras de octubre."


def test_an_update_needs_its_note_and_a_public_publication():
    publication = PublicationFactory()
    with pytest.raises(PublicationRefused, match="qué cambió"):
        services.publication_update(publication=publication, change_note="  ")
    with pytest.raises(PublicationRefused, match="publíquela"):
        services.publication_update(publication=draft(), change_note="Algo")
    assert publication.versions.count() == 1


def test_the_review_list_is_published_items_past_their_date_oldest_first():
    late = published_days_ago(400)
    later = published_days_ago(800)
    published_days_ago(10)  # not yet due
    archived = published_days_ago(900)
    services.publication_set_status(publication=archived, status=Status.ARCHIVED)
    assert list(Publication.objects.past_review()) == [later, late]


def test_last_update_before_publication_is_refused_beside_the_field():
    publication = PublicationFactory()
    publication.updated_on = publication.published_on - timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        publication.full_clean()
    assert "updated_on" in error.value.message_dict


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Contacto: 12.345.678-5", "rut"),
        ("RUN 9876543-K de la persona", "rut"),
        ("Pasaporte N° AB1234567", "passport"),
        ("passport: P1234567", "passport"),
        ("Escriba a maria.perez@gmail.com", "email"),
        ("<p>Llame al +56 9 8765 4321</p>", "phone"),
        ("Teléfono 22 123 4567", "phone"),
    ],
)
def test_personal_data_is_recognised(text, kind):
    assert [hit.kind for hit in rules.personal_data(text)] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "El presupuesto 2026 fue de 12.345.678 pesos.",
        "Ley 21.325 de Migración y Extranjería, artículo 7.",
        "Entre 2023 y 2024 llegaron 1.918.583 personas.",
    ],
)
def test_figures_and_laws_are_not_personal_data(text):
    assert rules.personal_data(text) == []
