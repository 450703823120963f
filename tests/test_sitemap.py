"""``/sitemap.xml``: valid XML listing every public page of every mechanism in each language, nothing else."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.consultations.factories import ConsultationFactory, ConsultationPlanFactory, ProposalCallFactory

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
HOST = "http://testserver"


def sitemap(client) -> ET.Element:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314 - our own output; raises unless well-formed XML


def paths(root: ET.Element) -> set[str]:
    return {loc.text.removeprefix(HOST) for loc in root.findall("s:url/s:loc", NS)}


def test_the_portal_pages_are_listed_in_every_language(client):
    listed = paths(sitemap(client))
    for path in ("/", "/informacion/", "/cosoc/", "/cuenta-publica/", "/consultas/"):
        assert {path, f"/ht{path}", f"/en{path}"} <= listed
    assert "/buscar/" not in listed and "/admin/" not in listed


def test_each_page_names_its_other_languages(client):
    root = sitemap(client)
    [entry] = [
        url for url in root.findall("s:url", NS) if url.find("s:loc", NS).text == f"{HOST}/ht/consultas/"
    ]
    alternates = {link.get("hreflang"): link.get("href") for link in entry.findall("x:link", NS)}
    assert alternates == {
        "es": f"{HOST}/consultas/",
        "ht": f"{HOST}/ht/consultas/",
        "en": f"{HOST}/en/consultas/",
        "x-default": f"{HOST}/consultas/",
    }


def test_only_public_consultation_pages_are_listed(client):
    ConsultationFactory(slug="abierta")
    ConsultationFactory(slug="borrador", is_published=False)
    ConsultationFactory(slug="con-resultados", with_results=True)
    ConsultationFactory(slug="resultados-ocultos", with_results=True, is_published=False)
    ConsultationFactory(
        slug="resultados-futuros", closed=True, results_published_at=timezone.now() + timedelta(1)
    )
    ConsultationPlanFactory(year=2031)
    ConsultationPlanFactory(year=2032, published_at=None)
    call = ProposalCallFactory()
    hidden_call = ProposalCallFactory(is_published=False)

    listed = paths(sitemap(client))

    for path in (
        "/consultas/abierta/",
        "/consultas/con-resultados/",
        "/consultas/con-resultados/resultados/",
        "/consultas/resultados-futuros/",
        "/consultas/plan/2031/",
        f"/consultas/propuestas/{call.pk}/",
    ):
        assert {path, path.replace("/consultas/", "/ht/consultas/", 1)} <= listed, path
    for path in (
        "/consultas/borrador/",
        "/consultas/resultados-ocultos/",
        "/consultas/resultados-ocultos/resultados/",
        "/consultas/resultados-futuros/resultados/",
        "/consultas/plan/2032/",
        f"/consultas/propuestas/{hidden_call.pk}/",
    ):
        assert path not in listed and f"/en{path}" not in listed, path
    for path in listed:  # every listed page answers to an anonymous visitor
        if path.startswith(("/consultas/", "/ht/consultas/")):
            assert client.get(path).status_code == 200, path


def queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        client.get("/sitemap.xml")
    return len(context.captured_queries)


def test_the_sitemap_costs_the_same_with_10_and_100_consultations(client):
    ConsultationFactory.create_batch(10, with_results=True)
    client.get("/sitemap.xml")
    with_10 = queries(client)
    ConsultationFactory.create_batch(90, with_results=True)
    assert queries(client) == with_10


def test_an_unknown_sitemap_page_is_not_found(client):
    assert client.get("/sitemap.xml?p=99").status_code == 404
    assert client.get("/sitemap.xml?p=abc").status_code == 404
