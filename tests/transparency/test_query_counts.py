"""The register's pages cost a fixed number of queries whatever the number of publications, versions,
attachments, budget rows and topics (10 vs 200)."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engine.models import Topic
from tests.helpers import logged_in
from tests.transparency.factories import AttachmentFactory, BudgetRowFactory, PublicationFactory
from transparency import services
from transparency.models import PublicationType

pytestmark = pytest.mark.django_db


def count_queries(visitor, url: str) -> int:
    visitor.get(url)  # warm caches (content types, channels) so both sides are measured alike
    with CaptureQueriesContext(connection) as context:
        response = visitor.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


TYPES = itertools.cycle(PublicationType.values)


def add_publications(n: int) -> None:
    topics = list(Topic.objects.all()[:3])
    for _ in range(n):
        PublicationFactory(type=next(TYPES), title="Migración y regularización", topics=topics)


@pytest.fixture(params=["anonymous", "signed in"])
def visitor(request, client, alice):
    return client if request.param == "anonymous" else logged_in(alice)


@pytest.fixture(autouse=True, params=["computed", "shared copy"])
def content_cache(request, settings):
    """Each count runs with every page computed, and with the shared copy of what the page shows."""
    if request.param == "computed":
        settings.SEARCH_CACHE_SECONDS = 0
    return request.param


@pytest.mark.parametrize(
    "url",
    [
        "/informacion/",
        "/informacion/?tipo=budget&pagina=2",
        "/en/informacion/?anio=2026",
        "/informacion/rss/",
    ],
)
def test_list_and_feed_10_vs_200(visitor, url, settings):
    settings.TRANSPARENCY_PAGE_SIZE = 5
    add_publications(10)
    with_10 = count_queries(visitor, url)
    add_publications(190)
    assert count_queries(visitor, url) == with_10
    assert with_10 <= 10


def test_detail_10_vs_200_rows_versions_and_attachments(visitor):
    publication = PublicationFactory(type=PublicationType.BUDGET, topics=list(Topic.objects.all()[:2]))
    url = publication.get_absolute_url()

    def grow(n: int) -> None:
        for _ in range(n):
            BudgetRowFactory(publication=publication)
            AttachmentFactory(publication=publication)
            services.publication_update(publication=publication, change_note="Cambio.")

    grow(10)
    with_10 = count_queries(visitor, url)
    grow(190)
    assert count_queries(visitor, url) == with_10
    assert with_10 <= 10


def test_search_10_vs_200(visitor, settings):
    settings.SEARCH_CACHE_SECONDS = 0
    add_publications(10)
    with_10 = count_queries(visitor, "/buscar/?q=migracion")
    add_publications(190)
    assert count_queries(visitor, "/buscar/?q=migracion") == with_10
    assert with_10 <= 10


def test_open_data_10_vs_200(client):
    add_publications(10)
    with_10 = count_queries(client, "/informacion/datos/publicaciones.json")
    add_publications(190)
    assert count_queries(client, "/informacion/datos/publicaciones.json") == with_10
