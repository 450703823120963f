"""Published results reach open data through engine.opendata (the register serves them): the same
suppressed cells as the results page, and nothing for a consultation whose results are not public."""

import csv
import io
import json

import pytest

from consultations.results import published_results
from tests.consultations.factories import complete_answers, submitted_response

pytestmark = pytest.mark.django_db


def test_public_results_are_open_data_with_the_published_cells(
    client, results_questionnaire, open_questionnaire
):
    for _ in range(7):
        submitted_response(results_questionnaire.consultation, complete_answers(results_questionnaire))
    submitted_response(open_questionnaire.consultation, complete_answers(open_questionnaire))
    slug = f"resultados-{results_questionnaire.slug}"
    assert slug in client.get("/informacion/datos/").content.decode()
    assert f"resultados-{open_questionnaire.slug}" not in client.get("/informacion/datos/").content.decode()
    assert client.get(f"/informacion/datos/resultados-{open_questionnaire.slug}.csv").status_code == 404

    document = json.loads(client.get(f"/informacion/datos/{slug}.json").content)
    table = next(item.table for item in published_results(results_questionnaire.consultation) if item.table)
    published = {
        (str(row.category.label), str(column.label)): cell.export_value
        for row in table
        for column, cell in zip(table.columns, row.cells, strict=True)
    }
    lines = {(r["row"], r["column"]): r["value"] for r in document["rows"] if r["table"] == str(table.title)}
    for key, value in published.items():
        assert lines[key] == value
    # Small counts stay hidden in the download too.
    assert any(r["suppressed"] and str(r["value"]).startswith("<") for r in document["rows"])
    csv_rows = list(
        csv.DictReader(io.StringIO(client.get(f"/informacion/datos/{slug}.csv").content.decode("utf-8-sig")))
    )
    assert len(csv_rows) == len(document["rows"])
