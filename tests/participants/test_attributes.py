"""One list of participant attributes (participants.attributes): the forms, the consent rule, the log
redaction and the report disaggregation all follow it, so an attribute cannot be added to one and missed by
another."""

import json
import logging

import pytest
from django.db import models

from engine.models import DISAGGREGATION_ATTRIBUTES
from participants.forms import ParticipantAttributesForm, StaffParticipantForm
from participants.models import (
    ATTRIBUTE_NAMES,
    PARTICIPANT_ATTRIBUTES,
    SENSITIVE_ATTRIBUTES,
    Consent,
    Participant,
)
from tests.test_logging import captured_json_logs

# Columns of Participant that describe the record, not the person.
BOOKKEEPING = {"id", "user", "created_at", "updated_at"}


def test_every_column_of_a_participant_is_in_the_list_once():
    columns = [field.name for field in Participant._meta.concrete_fields if field.name not in BOOKKEEPING]
    assert sorted(columns) == sorted(ATTRIBUTE_NAMES)
    assert len(set(ATTRIBUTE_NAMES)) == len(ATTRIBUTE_NAMES)


def test_the_profile_and_staff_forms_ask_every_attribute_in_the_lists_order():
    assert ParticipantAttributesForm.Meta.fields == list(ATTRIBUTE_NAMES)
    assert StaffParticipantForm.Meta.fields == ["user", *ATTRIBUTE_NAMES]


def test_consent_covers_exactly_the_sensitive_attributes():
    assert set(SENSITIVE_ATTRIBUTES) == {a.name for a in PARTICIPANT_ATTRIBUTES if a.sensitive}
    assert {code for code, _label in Consent._meta.get_field("attribute").choices} == set(
        SENSITIVE_ATTRIBUTES
    )


def test_reports_disaggregate_by_the_single_valued_columns_only():
    assert DISAGGREGATION_ATTRIBUTES == (
        "gender_identity",
        "sex_at_birth",
        "sexual_orientation",
        "age_band",
        "nationality",
        "migration_status",
        "region",
        "indigenous_people",
        "disability",
    )
    for name in DISAGGREGATION_ATTRIBUTES:
        field = Participant._meta.get_field(name)
        assert not isinstance(field, models.JSONField) and (field.choices or name == "nationality"), name
    assert {"languages", "commune", "birth_year"}.isdisjoint(DISAGGREGATION_ATTRIBUTES)


@pytest.mark.parametrize("name", ATTRIBUTE_NAMES)
def test_every_attribute_is_redacted_in_the_logs(name):
    value = "VaLoR-que-no-debe-salir"
    with captured_json_logs() as read:
        logger = logging.getLogger("sermig.test")
        logger.info("saved %s=%s", name, value)
        logger.info("saved", extra={name: value, "payload": {name: value}})
    output = json.dumps(read())
    assert value not in output
    assert output.count("[redacted]") == 3
