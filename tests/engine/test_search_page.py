"""``/buscar/`` and the header's search box: helpful pages, bad input answered normally, filters, escaping,
pagination, and a number of queries that does not grow with the index."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engine import search
from engine.models import Topic
from engine.search.forms import MAX_QUERY_LENGTH
from engine.search.selectors import PAGE_SIZE
from tests.helpers import topic

pytestmark = pytest.mark.django_db


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def result_titles(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", title) for title in re.findall(r'<h3 lang="\w+"><a [^>]+>(.*?)</a></h3>', html)
    ]


@pytest.mark.parametrize("url", ["/buscar/", "/buscar/?q=", "/buscar/?q=+++", "/en/buscar/"])
def test_an_empty_search_is_a_helpful_page(client, url):
    html = page(client, url)
    assert 'id="tips-title"' in html
    assert 'href="/consultas/"' in html or 'href="/en/consultas/"' in html
    assert "results-title" not in html


def test_a_one_letter_search_asks_for_more(client, topics):
    topic("A")
    html = page(client, "/buscar/?q=a")
    assert "Escriba al menos 2 letras" in html
    assert "results-title" not in html


def test_results_are_listed_with_their_type_mechanism_and_link(client, topics):
    made = topic("Salud de las personas migrantes", body="Atención primaria para todas las personas.")
    html = page(client, "/buscar/?q=salud")
    assert "1 resultado para «salud»" in html
    assert f'href="/temas/{made.slug}/"' in html
    assert "Tema de prueba · Información relevante" in html
    assert "<mark>" in html


def test_nothing_found_offers_tips_and_the_same_search_without_filters(client, topics):
    topic("Vivienda")
    html = page(client, "/buscar/?q=vivienda&mecanismo=cosoc")
    assert "0 resultados" in html
    assert "No encontramos nada" in html
    assert 'href="?q=vivienda"' in html


def test_a_very_long_query_is_cut_with_a_note(client, topics):
    topic("Migración")
    html = page(client, "/buscar/?q=" + "migracion " * 200)
    assert f"primeros {MAX_QUERY_LENGTH} caracteres" in html
    [value] = re.findall(r'name="q" value="([^"]*)"', html)
    assert len(value) <= MAX_QUERY_LENGTH


@pytest.mark.parametrize(
    "query",
    [
        "' OR 1=1 --",
        "%00%00",
        "migra%00cion",
        '"unbalanced',
        "!!!&&&|||(((",
        "<script>alert(1)</script>",
        "%EF%BF%BE",
        "x" * 2000,
    ],
)
def test_malformed_queries_answer_normally(client, topics, query):
    topic("Migración")
    html = page(client, f"/buscar/?q={query}")
    assert "<script>alert(1)</script>" not in html


@pytest.mark.parametrize(
    "params",
    [
        "mecanismo=nada",
        "tipo=nada",
        "mecanismo=%00&tipo=%00",
        "mecanismo=" + "x" * 5000,
        "pagina=abc",
        "pagina=-1",
    ],
)
def test_unknown_filters_and_pages_are_ignored(client, topics, params):
    topic("Convivencia")
    html = page(client, f"/buscar/?q=convivencia&{params}")
    assert result_titles(html) == ["Convivencia"]


def test_filters_by_mechanism_and_type(client, topics):
    topic("Convivencia")
    assert result_titles(page(client, "/buscar/?q=convivencia&mecanismo=information&tipo=test-topic"))
    assert result_titles(page(client, "/buscar/?q=convivencia&mecanismo=consultations")) == []
    assert result_titles(page(client, "/buscar/?q=convivencia&tipo=consultation")) == []


def test_the_type_filter_lists_every_registered_provider(client, topics):
    html = page(client, "/buscar/")
    assert '<option value="test-topic">Tema de prueba</option>' in html


def test_stored_text_and_the_query_are_escaped_and_only_the_marks_are_html(client, topics):
    topic('<img src=x onerror="alert(1)"> Migración', body="<script>alert(2)</script> migración")
    html = page(client, "/buscar/?q=migracion")
    assert "<img src=x" not in html and "<script>alert(2)" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; <mark>Migración</mark>" in html
    assert "<mark>migración</mark>" in html  # the snippet: PostgreSQL drops the tag, SQLite escapes it
    typed = page(client, "/buscar/?q=%3Cb%3Emigracion")
    assert "<b>migracion" not in typed and "«&lt;b&gt;migracion»" in typed


def test_pages_of_twenty_keep_the_query_and_filters(client, topics):
    for n in range(PAGE_SIZE + 5):
        topic(f"Diálogo número {n}")
    first = page(client, "/buscar/?q=dialogo&mecanismo=information")
    assert len(result_titles(first)) == PAGE_SIZE
    assert 'href="?q=dialogo&amp;mecanismo=information&amp;pagina=2"' in first
    second = page(client, "/buscar/?q=dialogo&mecanismo=information&pagina=2")
    assert len(result_titles(second)) == 5
    assert 'start="21"' in second
    assert result_titles(page(client, "/buscar/?q=dialogo&pagina=99")) == result_titles(second)


def test_anonymous_visitors_get_the_page_from_the_page_cache(client, topics, settings):
    settings.CACHE_MIDDLEWARE_SECONDS = 30
    caches["pages"].clear()
    topic("Convivencia")
    first = client.get("/buscar/?q=convivencia")
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/buscar/?q=convivencia")
    caches["pages"].clear()
    assert len(queries) == 0
    assert again.content == first.content


def add_topics(n: int) -> None:
    start = Topic.objects.count()
    for made in Topic.objects.bulk_create(
        Topic(slug=f"bulk-{start + i}", name=f"Salud {i}", name_es=f"Salud {i}", name_ht=f"Sante {i}")
        for i in range(n)
    ):
        search.index(made)


def count_queries(client, url: str) -> int:
    client.get(url)  # content types and translations cached alike on both sides
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.fixture(params=["computed", "from the cache"])
def search_cache(request, settings):
    """Each query-count test runs with every page computed, and with pages served from the shared cache."""
    if request.param == "computed":
        settings.SEARCH_CACHE_SECONDS = 0
    return request.param


@pytest.mark.parametrize("url", ["/buscar/?q=salud", "/ht/buscar/?q=salud", "/buscar/?q=salud&pagina=2"])
def test_the_search_page_costs_the_same_with_10_and_200_objects(client, topics, search_cache, url):
    add_topics(10)
    with_10 = count_queries(client, url)
    add_topics(190)
    assert count_queries(client, url) == with_10
    assert with_10 <= 10


def test_signed_in_readers_cost_the_same_too(client, topics, search_cache, alice):
    client.force_login(alice)
    add_topics(10)
    with_10 = count_queries(client, "/buscar/?q=salud")
    add_topics(190)
    assert count_queries(client, "/buscar/?q=salud") == with_10
    assert with_10 <= 10


def test_a_cached_page_skips_the_search_until_the_index_changes(client, topics):
    made = topic("Convivencia")
    cached = count_queries(client, "/buscar/?q=convivencia")  # its second request is served from the cache
    with CaptureQueriesContext(connection) as computed:
        client.get("/buscar/?q=convivencia&pagina=3")  # another page number (the same last page): computed
    assert len(computed) == cached + 2  # the count and the page's rows

    Topic.objects.filter(pk=made.pk).update(is_active=False)
    search.reindex(made)  # no longer public: the index version changes with it
    assert result_titles(page(client, "/buscar/?q=convivencia")) == []
    topic("Convivencia escolar")
    assert result_titles(page(client, "/buscar/?q=convivencia")) == ["Convivencia escolar"]


def test_bad_page_numbers_never_stand_for_another_page_in_the_cache(client, topics):
    for n in range(PAGE_SIZE + 1):
        topic(f"Diálogo {n}")

    def titles(number: str) -> list[str]:
        return result_titles(page(client, f"/buscar/?q=dialogo&pagina={number}"))

    assert len(titles("99")) == 1  # past the end: the last page
    assert len(titles("-1")) == PAGE_SIZE  # not a page number: the first page
    assert len(titles("abc")) == PAGE_SIZE
    assert len(titles("2")) == 1
    assert len(titles("1")) == PAGE_SIZE


@pytest.mark.parametrize(
    ("path", "action"), [("/", "/buscar/"), ("/consultas/", "/buscar/"), ("/ht/", "/ht/buscar/")]
)
def test_every_page_has_the_labelled_search_box_in_its_header(client, path, action):
    html = page(client, path)
    header = html[html.index("<header") : html.index("</header>")]
    assert f'<form class="site-search" role="search" method="get" action="{action}"' in header
    assert '<label for="site-search-q"' in header
    assert '<input type="search" id="site-search-q" name="q"' in header
