"""Reads of the search index: matching rows, best first, and what the results page shows of each.

What the page shows is the same for every reader in a language, so it is kept (in each process's memory and in
the shared cache) with the index version (``SearchIndexVersion``) it was made under: every write to the index
changes the version in its transaction, so a popular search is computed once per change, and what a write
removed is gone from every process within ``LOCAL_VERSION_SECONDS`` (at once in the writing process).

PostgreSQL: ``websearch_to_tsquery`` in each language's configuration (accents folded; Spanish and English
stemmed) against the weighted vector, ranked, with ``ts_headline`` snippets. Elsewhere (SQLite, the embedded
default): every folded word of the query ``icontains`` in the folded text, snippets marked in Python.
Either way a reader sees rows in their own language first, then Spanish ones, and each object once.
"""

from __future__ import annotations

import hashlib
import operator
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import reduce

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat

from engine.models import Mechanism, SearchDocument
from engine.search.registry import get_provider
from engine.search.services import forget_local_version, index_version, text_search_config
from engine.search.text import START, STOP, fold, highlight, terms

SNIPPET_CHARACTERS = 240
PAGE_SIZE = 20


@dataclass(frozen=True)
class SearchResult:
    """One result as the page shows it; ``title`` and ``snippet`` carry the highlight markers, ``language`` is
    the language of that text, and ``url`` the object's page in the reader's language."""

    title: str
    snippet: str
    url: str
    language: str
    kind_label: str
    mechanism_label: str


def search_documents(
    *, query: str, language: str, mechanism: str = "", kind: str = "", fallback: bool | None = None
) -> QuerySet[SearchDocument]:
    """The rows matching ``query``: the reader's ``language`` first, then Spanish, one row per object.

    ``fallback`` forces (True) or refuses (False) the folded ``icontains`` search; by default it is used on
    every database but PostgreSQL.
    """
    spanish = settings.LANGUAGE_CODE
    languages = [language] if language == spanish else [language, spanish]
    rows = SearchDocument.objects.filter(language__in=languages)
    if mechanism:
        rows = rows.filter(mechanism=mechanism)
    if kind:
        rows = rows.filter(kind=kind)
    if fallback is None:
        fallback = connection.vendor != "postgresql"
    match, rank = _folded_match(query, languages) if fallback else _text_search_match(query, languages)
    rows = rows.filter(match[language] if len(languages) == 1 else reduce(operator.or_, match.values()))
    if len(languages) > 1:
        # A Spanish row only when the object has no matching row in the reader's language.
        own = SearchDocument.objects.filter(
            match[language], content_type=OuterRef("content_type"), object_id=OuterRef("object_id")
        )
        rows = rows.exclude(Q(language=spanish) & Exists(own))
        # A Spanish row still links to the object's page in the reader's language (its row's URL).
        own_url = SearchDocument.objects.filter(
            content_type=OuterRef("content_type"), object_id=OuterRef("object_id"), language=language
        ).values("url")[:1]
        rows = rows.annotate(link=Coalesce(Subquery(own_url), F("url")))
    else:
        rows = rows.annotate(link=F("url"))
    preferred = Case(When(language=language, then=Value(0)), default=Value(1))
    if fallback:  # snippets are marked in Python, from the summary or the body
        rows = rows.defer("vector", "folded")
    else:
        rows = rows.defer("summary", "body", "vector", "folded").annotate(**_headlines(query, languages))
    return rows.annotate(preferred=preferred, rank=rank).order_by("preferred", "-rank", "pk")


def _text_search_match(query: str, languages: list[str]) -> tuple[dict[str, Q], Case]:
    queries = {
        code: SearchQuery(query, config=text_search_config(code), search_type="websearch")
        for code in languages
    }
    match = {code: Q(language=code, vector=queries[code]) for code in languages}
    rank = Case(
        *(When(language=code, then=SearchRank(F("vector"), queries[code])) for code in languages),
        output_field=FloatField(),
    )
    return match, rank


def _folded_match(query: str, languages: list[str]) -> tuple[dict[str, Q], Value]:
    words = terms(query)
    every_word = Q(*(Q(folded__icontains=word) for word in words)) if words else Q(pk__in=[])
    return {code: Q(every_word, language=code) for code in languages}, Value(0.0)


def _headlines(query: str, languages: list[str]) -> dict[str, Case]:
    """The title, and a snippet of summary and body, with the query's words between the markers.

    ``ts_headline`` is costly; PostgreSQL computes it after sorting and limiting, for the page's rows only.
    """

    def headline(expression, **options) -> Case:
        return Case(
            *(
                When(
                    language=code,
                    then=SearchHeadline(
                        expression,
                        SearchQuery(query, config=text_search_config(code), search_type="websearch"),
                        config=text_search_config(code),
                        start_sel=START,
                        stop_sel=STOP,
                        **options,
                    ),
                )
                for code in languages
            ),
            default=expression,
        )

    return {
        "title_marked": headline(F("title"), highlight_all=True),
        "snippet_marked": headline(
            Concat("summary", Value(" "), "body", output_field=TextField()),
            max_words=35,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
        ),
    }


def search_results(documents: Iterable[SearchDocument], *, query: str) -> list[SearchResult]:
    """What the page shows of each row: marked by ``ts_headline`` on PostgreSQL, here otherwise."""
    words = terms(query)
    results = []
    for document in documents:
        title = getattr(document, "title_marked", None)
        snippet = getattr(document, "snippet_marked", None)
        if title is None:
            title = highlight(document.title, words)
            in_summary = any(word in fold(document.summary) for word in words)
            text = document.summary if in_summary or not document.body else document.body
            snippet = highlight(text, words, max_chars=SNIPPET_CHARACTERS)
        provider = get_provider(document.kind)
        results.append(
            SearchResult(
                title=title,
                snippet=snippet or "",
                url=document.link,  # type: ignore[attr-defined]  # annotated by the query above
                language=document.language,
                kind_label=str(provider.label) if provider else document.kind,
                mechanism_label=str(Mechanism(document.mechanism).label),
            )
        )
    return results


def page_number(raw: str | int | None) -> int:
    """The page asked for: anything but a plain number of up to six digits is the first page."""
    text = str(raw)
    return int(text) if text.isdigit() and len(text) <= 6 else 1


def search_page(*, query: str, language: str, mechanism: str = "", kind: str = "", number: int = 1) -> Page:
    """One page of ``PAGE_SIZE`` results, made for the page (a page past the end gives the last one)."""
    documents = search_documents(query=query, language=language, mechanism=mechanism, kind=kind)
    page = Paginator(documents, PAGE_SIZE).get_page(number)
    return Page(search_results(page, query=query), page.number, page.paginator)


LOCAL_PAGES = 256  # pages each process keeps in memory besides the shared cache (about 15 kB each)
_local_pages: OrderedDict[str, tuple[str, str]] = OrderedDict()
_local_pages_lock = threading.Lock()


def cached_content(
    *, language: str, shown: dict, render: Callable[[], str], namespace: str = "search"
) -> str:
    """What the search page shows for these values (``render()``), made once per version of the index: kept in
    this process's memory and in the shared cache with the version it was made under, and made again under
    another version (``SEARCH_CACHE_SECONDS``; 0 turns both off).

    A mechanism's public pages whose every change reindexes them (a register's list and pages: their objects
    and the rows they show are watched) share the mechanism under their own ``namespace``."""
    if settings.SEARCH_CACHE_SECONDS <= 0:
        return render()
    digest = hashlib.sha256(repr((language, sorted(shown.items()))).encode()).hexdigest()[:40]
    key = f"{namespace}:content:{digest}"
    version = index_version()
    found = _local_pages.get(key)
    if found is None or found[0] != version:
        found = cache.get(key)
        if found is None or found[0] != version:
            found = (version, render())
            cache.set(key, found, settings.SEARCH_CACHE_SECONDS)
        with _local_pages_lock:  # threaded servers (runserver, gthread) share the dict
            _local_pages[key] = found
            _local_pages.move_to_end(key)
            while len(_local_pages) > LOCAL_PAGES:
                _local_pages.popitem(last=False)
    return found[1]


def forget_local_pages() -> None:
    """This process's copies of search pages and of the version are dropped (as ``cache.clear()`` does for
    the shared cache; the tests start each test with both empty)."""
    forget_local_version()
    with _local_pages_lock:
        _local_pages.clear()
