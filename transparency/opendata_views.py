"""The open-data pages: a data dictionary of every registered dataset, and each dataset as CSV or JSON."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from engine import opendata

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


def dictionary(request: HttpRequest) -> HttpResponse:
    name, url = opendata.licence()
    return render(
        request,
        "transparency/open_data.html",
        {
            "datasets": [(dataset, dataset.last_modified()) for dataset in opendata.datasets()],
            "licence_name": name,
            "licence_url": url,
        },
    )


def download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    dataset = opendata.get(slug)
    if dataset is None or fmt not in FORMATS:
        raise Http404
    content = opendata.render_csv(dataset) if fmt == "csv" else opendata.render_json(dataset)
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{slug}.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"  # public data, read by other sites' scripts too
    return response
