"""Search, feeds, sitemap, the home page's "what's new" and open data list public publications only, and
follow publish, edit and unpublish at once."""

import csv
import io
import json
from xml.etree import ElementTree

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse

from engine import opendata
from engine.models import SearchDocument, Topic
from engine.search.selectors import search_documents
from tests.transparency.factories import BudgetRowFactory, PublicationFactory, draft, in_status
from transparency import services
from transparency.models import Publication, PublicationType, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL text search (the suite runs on PostgreSQL when DATABASE_URL is set)")


def found(query: str, language: str = "es", **filters) -> list[str]:
    return [d.title for d in search_documents(query=query, language=language, **filters)]


def rows_of(publication: Publication) -> list[SearchDocument]:
    return list(
        SearchDocument.objects.filter(
            content_type=ContentType.objects.get_for_model(Publication), object_id=publication.pk
        ).order_by("language")
    )


@pytest.fixture
def world():
    return {
        "public": PublicationFactory(
            title="Política Nacional de Migración",
            title_ht="Politik Nasyonal sou Migrasyon",
            title_en="National Migration Policy",
            slug="politica-nacional",
            summary="Cómo Chile recibe a las personas refugiadas y migrantes.",
            summary_en="How Chile receives refugees and migrants.",
        ),
        "draft": draft(title="Borrador de migración secreta", slug="borrador-secreto"),
        "preview": in_status(Status.PREVIEW, title="Vista previa de migración", slug="vista-previa"),
    }


# --- Search ---------------------------------------------------------------------------------------------


def test_published_publications_are_indexed_once_per_language_and_drafts_never(world):
    assert [row.language for row in rows_of(world["public"])] == ["en", "es", "ht"]
    assert rows_of(world["draft"]) == [] and rows_of(world["preview"]) == []


@pytest.mark.parametrize(
    ("language", "query", "title"),
    [
        ("es", "migracion", "Política Nacional de Migración"),
        ("es", "POLITICA nacional", "Política Nacional de Migración"),
        ("es", "refugiado", "Política Nacional de Migración"),  # stemmed: "refugiadas"
        ("en", "refugee", "National Migration Policy"),
        ("ht", "migrasyon", "Politik Nasyonal sou Migrasyon"),
    ],
)
def test_search_ignores_accents_and_stems(world, postgres, language, query, title):
    assert found(query, language) == [title]


def test_the_sqlite_fallback_finds_it_too(world):
    assert [d.title for d in search_documents(query="migracion", language="es", fallback=True)] == [
        "Política Nacional de Migración"
    ]


def test_a_title_match_ranks_above_a_body_match(postgres):
    PublicationFactory(title="Informe anual", body="<p>Trata también de la regularización.</p>")
    PublicationFactory(title="Plan de regularización")
    assert found("regularizacion") == ["Plan de regularización", "Informe anual"]


def test_editing_a_translation_rewrites_its_row_and_never_adds_one(world):
    publication = world["public"]
    publication.title_ht = "Politik migrasyon ki chanje"
    services.publication_save(publication=publication)
    rows = rows_of(publication)
    assert len(rows) == 3 and rows[2].title == "Politik migrasyon ki chanje"


def test_unpublishing_removes_it_from_search_feeds_and_sitemap(world, client):
    services.publication_set_status(publication=world["public"], status=Status.DRAFT)
    assert rows_of(world["public"]) == []
    assert "politica-nacional" not in client.get("/informacion/rss/").content.decode()
    assert "politica-nacional" not in client.get("/sitemap.xml").content.decode()


def test_archived_publications_stay_findable_and_readable(world):
    services.publication_set_status(publication=world["public"], status=Status.ARCHIVED)
    assert len(rows_of(world["public"])) == 3


def test_renaming_a_topic_reindexes_its_publications(world):
    topic = Topic.objects.first()
    world["public"].topics.add(topic)
    services.publication_reindex(publication=world["public"])
    topic.name = topic.name_es = "Tema renombrado zanahoria"
    topic.save()
    assert found("zanahoria", fallback=True) == ["Política Nacional de Migración"]


def test_the_search_page_from_the_header_finds_accented_publications(world, client):
    content = client.get("/buscar/?q=migracion").content.decode()
    assert "/informacion/politica-nacional/" in content
    assert "secreta" not in content and "vista-previa" not in content
    english = client.get("/en/buscar/?q=migration").content.decode()
    assert "/en/informacion/politica-nacional/" in english


# --- Feeds and sitemap ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/informacion/rss/", "/informacion/atom/", "/informacion/rss/policy/"])
def test_feeds_are_valid_xml_and_list_only_public_publications(world, client, url):
    response = client.get(url)
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own output; raises unless well-formed
    text = response.content.decode()
    assert root.tag in ("rss", "{http://www.w3.org/2005/Atom}feed")
    assert "/informacion/politica-nacional/" in text
    assert "borrador-secreto" not in text and "vista-previa" not in text


def test_a_feed_per_type_lists_only_that_type(world, client):
    PublicationFactory(title="Presupuesto mensual", type=PublicationType.BUDGET)
    budgets = client.get("/informacion/rss/budget/").content.decode()
    assert "Presupuesto mensual" in budgets and "Política Nacional" not in budgets
    assert client.get("/informacion/rss/nada/").status_code == 404


def test_the_sitemap_lists_public_publications_in_every_language(world, client):
    content = client.get("/sitemap.xml").content.decode()
    ElementTree.fromstring(content)  # noqa: S314 - our own output; raises unless well-formed
    for prefix in ("", "/ht", "/en"):
        assert f"{prefix}/informacion/politica-nacional/</loc>" in content
    assert "/informacion/</loc>" in content and "/informacion/datos/</loc>" in content
    assert "borrador-secreto" not in content and "vista-previa" not in content


def test_whats_new_on_the_home_page_shows_public_publications_only(world, client):
    content = client.get("/").content.decode()
    assert "Política Nacional de Migración" in content
    assert "secreta" not in content and "Vista previa de migración" not in content


# --- Open data ------------------------------------------------------------------------------------------


def test_the_register_as_csv_and_json_matches_the_public_list(world, client):
    BudgetRowFactory(program="Regularización")
    csv_rows = list(
        csv.DictReader(
            io.StringIO(client.get("/informacion/datos/publicaciones.csv").content.decode("utf-8-sig"))
        )
    )
    document = json.loads(client.get("/informacion/datos/publicaciones.json").content)
    public = set(Publication.objects.public().values_list("slug", flat=True))
    assert {row["slug"] for row in csv_rows} == {row["slug"] for row in document["rows"]} == public
    assert "borrador-secreto" not in public
    assert [field["name"] for field in document["fields"]] == list(csv_rows[0].keys())
    assert document["licence"]["url"].startswith("https://creativecommons.org/")


def test_budget_open_data_matches_the_budget_table(client):
    row = BudgetRowFactory(program="Regularización", budget=200, executed=50)
    BudgetRowFactory(publication=draft(type=PublicationType.BUDGET, slug="presupuesto-oculto"))
    document = json.loads(client.get("/informacion/datos/presupuestos.json").content)
    assert document["rows"] == [
        {
            "publication": row.publication.slug,
            "program": "Regularización",
            "budget": 200,
            "executed": 50,
            "percent_executed": 25,
            "updated_on": row.publication.updated_on.isoformat(),
        }
    ]


def test_the_data_dictionary_names_fields_types_licence_and_last_update(world, client):
    content = client.get("/informacion/datos/").content.decode()
    for text in (
        "<code>published_on</code>",
        "fecha (AAAA-MM-DD)",
        "CC BY 4.0",
        "Datos actualizados por última vez",
    ):
        assert text in content
    assert client.get("/informacion/datos/publicaciones.xml").status_code == 404
    assert client.get("/informacion/datos/no-existe.csv").status_code == 404


def test_datasets_other_mechanisms_register_are_served_and_documented(client):
    dataset = opendata.Dataset(
        slug="resultados-prueba",
        title="Resultados publicados",
        description="Una tabla ya suprimida.",
        fields=[
            opendata.Field("answer", opendata.TEXT, "Respuesta"),
            opendata.Field("count", opendata.TEXT, "N"),
        ],
        rows=lambda: [{"answer": "Sí", "count": "< 5"}, {"answer": "No", "count": 12}],
    )
    provider = opendata.register(lambda: [dataset])
    try:
        assert "Resultados publicados" in client.get(reverse("transparency:open-data")).content.decode()
        content = client.get("/informacion/datos/resultados-prueba.csv").content.decode("utf-8-sig")
        assert content.splitlines() == ["answer,count", "Sí,< 5", "No,12"]
    finally:
        opendata.unregister(provider)


@pytest.mark.parametrize("query", ["' OR 1=1 --", "migración " * 250, "<script>", '"unclosed', "-", "a:*&|!"])
def test_malformed_or_huge_searches_answer_normally(world, client, query):
    response = client.get("/buscar/", {"q": query})
    assert response.status_code == 200
    assert "borrador-secreto" not in response.content.decode()
