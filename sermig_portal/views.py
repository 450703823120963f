import logging
from functools import lru_cache

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from engine.fragments import shared_fragment
from engine.mechanisms import MECHANISMS
from engine.open_now import open_now_items
from engine.whats_new import whats_new_items

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    """What is open now, what is new and the four mechanisms: the same for every reader in a language, so a
    signed-in reader gets the copy one render made (``engine.fragments``), as a visitor gets the cached page."""
    content = shared_fragment(
        f"home:{get_language()}",
        render=lambda: render_to_string(
            "home_content.html",
            {"mechanisms": MECHANISMS, "open_now": open_now_items(request), "whats_new": whats_new_items()},
        ),
    )
    return render(request, "home.html", {"content": content})


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


@lru_cache(maxsize=4)
def _redis_client(url: str, timeout: float):
    """One connection pool per URL, reused across health checks (a new connection costs ~1 ms)."""
    return redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)


def _redis_status() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    try:
        _redis_client(settings.REDIS_URL, settings.REDIS_SOCKET_TIMEOUT).ping()
    except redis.RedisError:
        logger.warning("health check: redis unreachable")
        return "down"
    return "ok"


@never_cache
def bench_ok(request: HttpRequest) -> HttpResponse:
    """The bare view every page is measured against (registered only when BENCH_VIEWS is set)."""
    return HttpResponse("ok", content_type="text/plain")
