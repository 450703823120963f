"""Disaggregation: counts by one attribute or a pair, in one SQL query, for anything linked to a participant."""

from decimal import Decimal

import pytest

from engine.reports import disaggregate, publish, representativeness
from participants.models import Consent, Participant
from tests.engine.factories import ReferenceDistributionFactory, ReferenceShareFactory, participants

pytestmark = pytest.mark.django_db


@pytest.fixture
def population():
    participants(12, gender_identity="woman", region="CL-RM", nationality="VE")
    participants(7, gender_identity="man", region="CL-RM", nationality="VE")
    participants(6, gender_identity="woman", region="CL-AI", nationality="HT")
    participants(1, gender_identity="non_binary", region="CL-AI", nationality="HT")
    participants(2, gender_identity="", region="CL-AN", nationality="PE")
    participants(3, gender_identity="prefer_not_to_say", region="", nationality="ZZ")


def as_dict(table) -> dict:
    return {
        (row.code, column.code): count
        for row, line in zip(table.rows, table.counts, strict=True)
        for column, count in zip(table.columns, line, strict=True)
        if count
    }


def test_one_attribute_in_one_query(population, django_assert_num_queries):
    with django_assert_num_queries(1):
        table = disaggregate(rows="region")
    assert table.one_way
    counts = {row.code: line[0] for row, line in zip(table.rows, table.counts, strict=True)}
    assert counts["CL-RM"] == 19 and counts["CL-AI"] == 7 and counts["CL-AN"] == 2 and counts[""] == 3
    assert counts["CL-MA"] == 0  # every region is listed: a zero is information too
    assert table.total == 31


def test_pair_of_attributes(population, django_assert_num_queries):
    with django_assert_num_queries(1):
        table = disaggregate(rows="region", columns="gender_identity")
    counts = as_dict(table)
    assert counts[("CL-AI", "non_binary")] == 1
    assert counts[("CL-RM", "woman")] == 12
    assert counts[("CL-AN", "")] == 2
    assert table.total == 31 and sum(table.row_totals) == sum(table.column_totals) == 31
    labels = [str(row.label) for row in table.rows]
    assert "Aysén del General Carlos Ibáñez del Campo" in labels and "Sin dato" in labels
    # "Prefer not to say" and "no answer" come last.
    assert [c.code for c in table.columns][-2:] == ["prefer_not_to_say", ""]


def test_the_lone_non_binary_person_in_aysen_is_never_published(population):
    published = publish(disaggregate(rows="region", columns="gender_identity"))
    assert published.k == 10  # gender identity is sensitive
    aysen = [row.code for row in published.rows].index("CL-AI")
    non_binary = [c.code for c in published.columns].index("non_binary")
    cell = published.cells[aysen][non_binary]
    assert cell.value is None and cell.display == "< 10"


def test_nationalities_by_size_with_declined_last(population):
    table = disaggregate(rows="nationality")
    assert [row.code for row in table.rows] == ["VE", "HT", "PE", "ZZ"]
    assert str(table.rows[1].label) == "Haití"


def test_anything_with_a_path_to_participants(population):
    # Consents point to participants: count them by the participant's region.
    for participant in Participant.objects.filter(region="CL-AI"):
        Consent.objects.create(participant=participant, attribute="gender_identity", channel="online")
    table = disaggregate(Consent.objects.all(), rows="region")
    counts = {row.code: line[0] for row, line in zip(table.rows, table.counts, strict=True)}
    assert counts["CL-AI"] == 7 and table.total == 7


def test_distinct_counts_people_not_rows(population):
    participant = Participant.objects.filter(region="CL-AN").first()
    for attribute in ("gender_identity", "migration_status", "disability"):
        Consent.objects.create(participant=participant, attribute=attribute, channel="online")
    assert disaggregate(Consent.objects.all(), rows="region").total == 3
    assert disaggregate(Consent.objects.all(), rows="region", distinct=True).total == 1


def test_unknown_attributes_are_refused():
    with pytest.raises(ValueError):
        disaggregate(rows="commune")
    with pytest.raises(ValueError):
        disaggregate(rows="region", columns="region")


# --- Representativeness --------------------------------------------------------------------------


@pytest.fixture
def nationality_reference():
    distribution = ReferenceDistributionFactory(attribute="nationality", excluded_categories="CL")
    for category, share in (("VE", "38"), ("PE", "13.6"), ("HT", "9.8"), ("*", "38.6")):
        ReferenceShareFactory(distribution=distribution, category=category, share=Decimal(share))
    return distribution


def test_representativeness_shares_ratios_and_score(nationality_reference):
    participants(60, nationality="VE")
    participants(20, nationality="HT")
    participants(10, nationality="PE")
    participants(10, nationality="AR")  # counted under "others"
    participants(50, nationality="CL")  # outside the reference population
    participants(9, nationality="ZZ")  # declined: left out of the shares
    result = representativeness(distribution=nationality_reference)
    rows = {row.category.code: row for row in result.rows}
    assert rows["VE"].participant_share == Decimal("60.0")
    assert rows["VE"].ratio == Decimal("1.58")  # 60 % / 38 %
    assert rows["HT"].ratio == Decimal("2.04")
    assert rows["*"].count.value == 10 and rows["*"].ratio == Decimal("0.26")
    assert result.table.total.value == 100
    assert result.score == Decimal("0.13")  # 0.26 / 2.04 (rounded ratios would give 0.13 too)
    assert not result.score_is_partial


def test_representativeness_hides_small_groups_and_says_so(nationality_reference):
    participants(60, nationality="VE")
    participants(2, nationality="HT")
    participants(30, nationality="PE")
    result = representativeness(distribution=nationality_reference)
    rows = {row.category.code: row for row in result.rows}
    assert rows["HT"].count.display == "< 5"
    assert rows["HT"].participant_share is None and rows["HT"].ratio is None
    assert result.score_is_partial
    assert "ocultas" in result.note
