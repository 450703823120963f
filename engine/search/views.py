from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from engine.search import selectors
from engine.search.forms import MAX_QUERY_LENGTH, MIN_QUERY_LENGTH, SearchForm, cut_query

# Longer values are cut before they name a cached page (the query itself is cut to MAX_QUERY_LENGTH).
RAW_VALUE_LENGTH = 4 * MAX_QUERY_LENGTH


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """``/buscar/``. What it shows is the same for every reader in a language: anonymous visitors get the page
    cache, and everyone the content made once per change of the index (``selectors.cached_content``), named
    by the parameters as sent, so a page served from the cache costs no form and no search."""
    language = get_language()
    query, _truncated = cut_query(request.GET.get("q", ""))
    sent = {
        name: request.GET.get(name, "")[:RAW_VALUE_LENGTH] for name in ("q", "mecanismo", "tipo", "pagina")
    }

    def content() -> str:
        form = SearchForm(request.GET)
        form.is_valid()  # always true: unknown filters are ignored, a long query is cut
        mechanism, kind = form.cleaned_data["mecanismo"], form.cleaned_data["tipo"]
        context = {
            "form": form,
            "query": query,
            "mechanism": mechanism,
            "kind": kind,
            "truncated": form.truncated,
            "max_length": MAX_QUERY_LENGTH,
            "min_length": MIN_QUERY_LENGTH,
            "params": urlencode(form.params()),
        }
        if len(query) >= MIN_QUERY_LENGTH:
            context["searched"] = True
            context["page"] = selectors.search_page(
                query=query,
                language=language,
                mechanism=mechanism,
                kind=kind,
                number=selectors.page_number(sent["pagina"] or 1),
            )
        return render_to_string("engine/_search_content.html", context)

    html = selectors.cached_content(language=language, shown=sent, render=content)
    return render(request, "engine/search.html", {"query": query, "content": html})
