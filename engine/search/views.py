from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from engine.search import selectors
from engine.search.forms import MAX_QUERY_LENGTH, MIN_QUERY_LENGTH, SearchForm

PAGE_SIZE = 20


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """``/buscar/``: the same for every reader in a language, so anonymous visitors get the page cache."""
    form = SearchForm(request.GET)
    form.is_valid()  # always true: unknown filters are ignored, a long query is cut
    query = form.cleaned_data["q"]
    context = {
        "form": form,
        "query": query,
        "truncated": form.truncated,
        "max_length": MAX_QUERY_LENGTH,
        "min_length": MIN_QUERY_LENGTH,
        "params": urlencode(form.params()),
    }
    if len(query) >= MIN_QUERY_LENGTH:
        documents = selectors.search_documents(
            query=query,
            language=get_language(),
            mechanism=form.cleaned_data["mecanismo"],
            kind=form.cleaned_data["tipo"],
        )
        page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("pagina"))
        context.update(searched=True, page=page, results=selectors.search_results(page, query=query))
    return render(request, "engine/search.html", context)
