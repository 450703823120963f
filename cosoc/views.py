from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from engine import mechanisms


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "mechanism.html", {"mechanism": mechanisms.get("cosoc")})


def _not_yet(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    raise Http404


sessions = session = review = minutes = document = agreements = _not_yet
