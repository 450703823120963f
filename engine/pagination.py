"""Every list a page shows, one page at a time: Django's ``Paginator`` and one accessible navigation.

In a view (``per_page`` rows; the page number is read from ``?pagina=``, or ``param`` when a page has
several lists)::

    from engine.pagination import paginate

    page = paginate(request, Document.objects.filter(...).order_by("-published_at"), per_page=20)
    return render(request, "app/list.html", {"page": page})

In the template, the rows and the navigation (previous / next and "page 2 of 7", translated)::

    {% for document in page %}…{% endfor %}
    {% include "engine/_pagination.html" with page=page %}

A number that is not a number, or past the end, shows the last valid page (``Paginator.get_page``): a stale
link never fails. The queryset must be ordered (a stable order: add ``pk`` last). Two queries per list, a
``COUNT`` and the page's rows, whatever the number of rows: test with 10 and 100 rows. Links keep only
the parameters named in ``keep`` (a search query, another list's page): the anonymous page cache keys a page
on the parameters the view reads (``sermig_portal.middleware``), so a list never copies the whole address.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

PAGE_PARAMETER = "pagina"


def paginate(
    request: HttpRequest,
    queryset: QuerySet | Sequence,
    per_page: int,
    *,
    param: str = PAGE_PARAMETER,
    keep: Iterable[str] = (),
    fragment: str = "",
) -> Page:
    """The page of ``queryset`` the request asks for, with ``page.previous_link`` and ``page.next_link`` for
    the navigation (the parameters in ``keep`` and ``param``, then ``#fragment``; "" where there is none)."""
    page = Paginator(queryset, per_page).get_page(request.GET.get(param))
    kept = QueryDict(mutable=True)
    for name in keep:
        value = request.GET.get(name)
        if value:
            kept[name] = value

    def link(number: int) -> str:
        query = kept.copy()
        if number > 1:
            query[param] = str(number)
        encoded = query.urlencode()
        # "?" alone is this address's first page, without the other parameters.
        return f"?{encoded}{'#' + fragment if fragment else ''}"

    page.previous_link = link(page.number - 1) if page.has_previous() else ""  # type: ignore[attr-defined]
    page.next_link = link(page.number + 1) if page.has_next() else ""  # type: ignore[attr-defined]
    return page
