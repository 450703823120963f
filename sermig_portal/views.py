import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sermig_portal.open_now import open_now_items

logger = logging.getLogger(__name__)

# The four mechanisms of Law 20.500, in the order the header shows them.
MECHANISMS = {
    "information": {
        "title": _("Relevant information"),
        "url_name": "information",
        "article": _("Law 20.500, article 71"),
        "summary": _(
            "SERMIG publishes its policies, plans, programs, actions and budgets. "
            "The information must be timely, complete and easy to access."
        ),
    },
    "cosoc": {
        "title": _("Civil Society Council (COSOC)"),
        "url_name": "cosoc",
        "article": _("Law 20.500, article 74"),
        "summary": _(
            "An autonomous council of civil-society organizations. It discusses migration policy "
            "with SERMIG and gives its opinion on the main decisions."
        ),
    },
    "public_account": {
        "title": _("Participatory public account"),
        "url_name": "public-account",
        "article": _("Law 20.500, article 72"),
        "summary": _(
            "Once a year SERMIG reports what it did and how it spent its budget. "
            "You can ask questions, and every question gets a public answer."
        ),
    },
    "consultations": {
        "title": _("Citizen consultations"),
        "url_name": "consultations",
        "article": _("Law 20.500, article 73"),
        "summary": _(
            "SERMIG asks for your opinion on matters of public interest: online, in in-person "
            "dialogues, or both. Results and SERMIG's response are published."
        ),
    },
}


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "home.html",
        {"mechanisms": MECHANISMS.values(), "open_now": open_now_items(request)},
    )


def mechanism_page(request: HttpRequest, mechanism: str) -> HttpResponse:
    """Overview of one mechanism; each mechanism's own app replaces it when it lands."""
    return render(request, "mechanism.html", {"mechanism": MECHANISMS[mechanism]})


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: the database must answer; Redis down is reported, not fatal."""
    status: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        status["database"] = "ok"
    except Exception:
        logger.exception("health check: database unreachable")
        status["database"] = "down"
    status["redis"] = _redis_status()
    return JsonResponse(status, status=200 if status["database"] == "ok" else 503)


def _redis_status() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    import redis

    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=settings.REDIS_SOCKET_TIMEOUT,
        socket_timeout=settings.REDIS_SOCKET_TIMEOUT,
    )
    try:
        client.ping()
    except redis.RedisError:
        logger.warning("health check: redis unreachable")
        return "down"
    finally:
        client.close()
    return "ok"


def bench_ok(request: HttpRequest) -> HttpResponse:
    """The bare view every page is measured against (registered only when BENCH_VIEWS is set)."""
    return HttpResponse("ok", content_type="text/plain")
