from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from engine.search import selectors
from engine.search.forms import MAX_QUERY_LENGTH, MIN_QUERY_LENGTH, SearchForm


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """``/buscar/``. What it shows is the same for every reader in a language: anonymous visitors get the page
    cache, and everyone the content made once per change of the index (``selectors.cached_content``)."""
    form = SearchForm(request.GET)
    form.is_valid()  # always true: unknown filters are ignored, a long query is cut
    query = form.cleaned_data["q"]
    shown = {
        "query": query,
        "mechanism": form.cleaned_data["mecanismo"],
        "kind": form.cleaned_data["tipo"],
        "number": selectors.page_number(request.GET.get("pagina", 1)),
        "truncated": form.truncated,
    }

    def content() -> str:
        context = {
            "form": form,
            **shown,
            "max_length": MAX_QUERY_LENGTH,
            "min_length": MIN_QUERY_LENGTH,
            "params": urlencode(form.params()),
        }
        if len(query) >= MIN_QUERY_LENGTH:
            context["searched"] = True
            context["page"] = selectors.search_page(
                query=query,
                language=get_language(),
                mechanism=shown["mechanism"],
                kind=shown["kind"],
                number=shown["number"],
            )
        return render_to_string("engine/_search_content.html", context)

    html = selectors.cached_content(language=get_language(), shown=shown, render=content)
    return render(request, "engine/search.html", {"query": query, "content": html})
