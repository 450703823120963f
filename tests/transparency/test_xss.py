"""A corpus of script payloads typed into every text of a publication never runs anywhere the register shows
it: pages, feeds, search snippets, the home page, open data and budget downloads."""

import json
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.engine.test_richtext import PAYLOADS
from tests.transparency.factories import AttachmentFactory, BudgetRowFactory, PublicationFactory
from transparency.models import PublicationType

pytestmark = pytest.mark.django_db

assert len(PAYLOADS) >= 20

DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "style", "base", "svg", "math", "img"}


class ActiveContent(HTMLParser):
    """Every element or attribute of a page that could run code or load something the portal did not put."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.in_body = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "body":
            self.in_body = True
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            scheme = (value or "").strip().lower()
            if name in ("href", "src", "action", "data", "background", "formaction") and scheme.startswith(
                ("javascript:", "vbscript:", "data:")
            ):
                self.found.append(f"<{tag} {name}={value}>")
            if name == "style":
                self.found.append(f"<{tag} style>")
        if tag == "form" and (attributes.get("action") or "").startswith(("http:", "https:", "//")):
            self.found.append(f"<form action={attributes['action']}>")
        if tag == "meta" and self.in_body:
            self.found.append("<meta>")
        if tag in DANGEROUS_TAGS and self.in_body:
            if tag == "script" and (attributes.get("src") or "").startswith("/static/"):
                return
            if tag == "svg" and attributes.get("aria-hidden") == "true":
                return
            self.found.append(f"<{tag}>")


def active_content(html: str) -> list[str]:
    parser = ActiveContent()
    parser.feed(html)
    return parser.found


@pytest.fixture(params=range(len(PAYLOADS)), ids=[f"payload-{n}" for n in range(len(PAYLOADS))])
def hostile(request):
    payload = PAYLOADS[request.param]
    text = f"Migración {payload} fin"
    publication = PublicationFactory(
        type=PublicationType.BUDGET,
        slug="hostil",
        title=text[:200],
        summary=text,
        body=f"<p>Migración</p>{payload}",
        responsible_unit=text[:200],
    )
    AttachmentFactory(publication=publication, title=text[:200], description=text[:300])
    BudgetRowFactory(publication=publication, program=text[:200])
    return payload


PAGES = [
    "/informacion/",
    "/informacion/hostil/",
    "/informacion/hostil/versiones/1/",
    "/buscar/?q=migracion",
    "/",
]


def test_pages_and_search_snippets_escape_or_clean_every_payload(client, hostile):
    for url in PAGES:
        content = client.get(url).content.decode()
        assert active_content(content) == [], (url, hostile)
        assert hostile not in content or hostile.startswith("<<"), url


@pytest.mark.parametrize("url", ["/informacion/rss/", "/informacion/atom/"])
def test_feeds_carry_plain_text_only(client, hostile, url):
    content = client.get(url).content.decode()
    assert "<script" not in content.lower() and "&lt;script" not in content.lower()
    assert "onerror" not in content and "javascript:" not in content.lower()


def test_exports_carry_no_markup(client, hostile):
    document = json.loads(client.get("/informacion/datos/publicaciones.json").content)
    [row] = document["rows"]
    for value in (row["title"], row["summary"], row["responsible_unit"]):
        assert "<" not in value or "< " in value
    for url in (
        "/informacion/datos/publicaciones.csv",
        "/informacion/datos/presupuestos.csv",
        reverse("transparency:budget", kwargs={"slug": "hostil", "fmt": "csv"}),
    ):
        content = client.get(url).content.decode("utf-8-sig").lower()
        assert "<script" not in content and "onerror=" not in content and "<img" not in content, url
