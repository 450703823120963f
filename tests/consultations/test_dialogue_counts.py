"""Dialogue counts that cannot be lost (issue 13, item 12): attendance is chosen as "attribute → category" from
the shared attribute list and option counts as "question → option"; unknown pairs are refused, never stored
as text the results ignore; old free-text rows are mapped by a data migration or kept for staff to correct."""

import importlib
import io
from contextlib import redirect_stdout

import pytest
from django.apps import apps
from django.urls import reverse

from consultations.models import DialogueAttendance, DialogueOptionCount
from consultations.results import participation_profile
from tests.consultations.factories import (
    ConsultationFactory,
    DialogueAttendanceFactory,
    DialogueFactory,
    build_questionnaire,
)
from tests.helpers import admin_form_data

pytestmark = pytest.mark.django_db


def dialogue_url(dialogue) -> str:
    return reverse("admin:consultations_dialogue_change", args=[dialogue.pk])


def post_attendance(client, dialogue, rows: list[tuple[str, int]], **extra):
    """The dialogue's page posted with these attendance rows (``pair``, count) instead of its own."""
    data = admin_form_data(client.get(dialogue_url(dialogue)))
    data = {k: v for k, v in data.items() if not k.startswith("attendance-")}
    data.update(
        {
            "attendance-TOTAL_FORMS": len(rows),
            "attendance-INITIAL_FORMS": 0,
            "attendance-MIN_NUM_FORMS": 0,
            "attendance-MAX_NUM_FORMS": 1000,
        }
    )
    for index, (pair, count) in enumerate(rows):
        data[f"attendance-{index}-pair"] = pair
        data[f"attendance-{index}-count"] = count
    data.update(extra)
    return client.post(dialogue_url(dialogue), data)


def formset_errors(response, prefix: str) -> str:
    assert response.status_code == 200, "saved"
    formset = next(f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == prefix)
    return str(formset.errors) + str(formset.non_form_errors())


@pytest.fixture
def dialogue(open_questionnaire):
    return DialogueFactory(consultation=open_questionnaire.consultation)


def test_attendance_is_chosen_from_the_shared_attribute_list(admin_client, dialogue):
    html = admin_client.get(dialogue_url(dialogue)).content.decode()
    assert '<optgroup label="Identidad de género">' in html
    assert '<option value="gender_identity/woman">Mujer</option>' in html
    assert '<option value="total/all">Total de asistentes</option>' in html


def test_attendance_by_gender_reaches_the_public_profile(admin_client, dialogue):
    response = post_attendance(
        admin_client,
        dialogue,
        [("total/all", 30), ("gender_identity/woman", 15), ("gender_identity/man", 12)],
    )
    assert response.status_code == 302
    assert set(DialogueAttendance.objects.values_list("attribute", "category", "count")) == {
        ("total", "all", 30),
        ("gender_identity", "woman", 15),
        ("gender_identity", "man", 12),
    }
    table = participation_profile(dialogue.consultation)
    women = next(row for row in table if row.category.code == "woman")
    assert women.total.value == 15


def test_a_typed_pair_the_results_do_not_know_is_refused(admin_client, dialogue):
    response = post_attendance(admin_client, dialogue, [("género/Mujer", 15)])
    assert "Mujer" in formset_errors(response, "attendance")
    assert not DialogueAttendance.objects.exists()


def test_the_same_pair_twice_is_refused(admin_client, dialogue):
    response = post_attendance(
        admin_client, dialogue, [("gender_identity/woman", 3), ("gender_identity/woman", 4)]
    )
    assert "ya tiene su cantidad en otra fila" in formset_errors(response, "attendance")
    assert not DialogueAttendance.objects.exists()


def test_an_attribute_adding_up_to_more_than_the_total_is_refused(admin_client, dialogue):
    response = post_attendance(
        admin_client, dialogue, [("total/all", 10), ("gender_identity/woman", 8), ("gender_identity/man", 5)]
    )
    assert "Hay más personas que el total de asistentes (10): Identidad de género suma 13" in formset_errors(
        response, "attendance"
    )


def test_an_old_unknown_row_is_shown_and_must_be_corrected(admin_client, dialogue):
    DialogueAttendanceFactory(dialogue=dialogue, attribute="género", category="Mujer", count=15)
    page = admin_client.get(dialogue_url(dialogue))
    assert "No reconocido: «género/Mujer»" in page.content.decode()
    unchanged = admin_client.post(dialogue_url(dialogue), admin_form_data(page))
    assert "no es un dato de la lista" in formset_errors(unchanged, "attendance")


def test_option_counts_are_chosen_as_question_and_option(admin_client, open_questionnaire, dialogue):
    other = build_questionnaire(ConsultationFactory(slug="otra"))
    page = admin_client.get(dialogue_url(dialogue))
    html = page.content.decode()
    yes = open_questionnaire.o["Sí"]
    assert f'<option value="{yes.pk}">¿atendido? → Sí</option>' in html
    assert f'value="{other.o["Sí"].pk}"' not in html

    data = admin_form_data(page)
    data.update(
        {
            "option_counts-TOTAL_FORMS": 1,
            "option_counts-0-option": other.o["Sí"].pk,
            "option_counts-0-count": 4,
        }
    )
    refused = admin_client.post(dialogue_url(dialogue), data)
    assert formset_errors(refused, "option_counts")
    data["option_counts-0-option"] = yes.pk
    assert admin_client.post(dialogue_url(dialogue), data).status_code == 302
    assert list(DialogueOptionCount.objects.values_list("option_id", "count")) == [(yes.pk, 4)]


def test_the_data_migration_maps_known_spellings_and_reports_the_rest(dialogue):
    other = DialogueFactory(consultation=dialogue.consultation)
    rows = [
        (dialogue, "Género", "Mujer", 9),
        (dialogue, "gender_identity", "woman", 1),  # the same pair, typed as codes: added up
        (dialogue, "Total", "todas", 20),
        (dialogue, "nacionalidad", "Haiti", 4),
        (other, "género", "señora", 3),  # no such category: kept and reported
    ]
    for target, attribute, category, count in rows:
        DialogueAttendance.objects.create(
            dialogue=target, attribute=attribute, category=category, count=count
        )
    migration = importlib.import_module("consultations.migrations.0008_attendance_pairs")

    output = io.StringIO()
    with redirect_stdout(output):
        migration.forwards(apps, None)

    assert set(
        DialogueAttendance.objects.filter(dialogue=dialogue).values_list("attribute", "category", "count")
    ) == {
        ("gender_identity", "woman", 10),
        ("total", "all", 20),
        ("nationality", "HT", 4),
    }
    kept = DialogueAttendance.objects.get(dialogue=other)
    assert (kept.attribute, kept.category, kept.count) == ("género", "señora", 3)
    assert f"dialogue {other.pk}, 'género' / 'señora' = 3" in output.getvalue()
