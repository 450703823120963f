"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's ``live_server``.

Playwright cannot download its own browser on these machines, so the session browser is Debian's
``/usr/bin/chromium``; without it every browser test skips with a reason. One browser is launched for
the whole session; each test opens its own context (cheap) with the viewport it needs.
"""

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page

from tests.helpers import BLOCKING_IMPACTS, VIEWPORTS, ZOOM_200_VIEWPORT, format_violations

# Playwright's sync API keeps an event loop in the main thread; Django's ORM would refuse to run there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HERE = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test under tests/browser carries the ``browser`` marker (``-m "not browser"`` skips them)."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)
        elif "browser_name" in getattr(item, "fixturenames", ()):
            # A fixture or parameter named like one of Playwright's (page, browser, context) pulls its browser
            # in; pytest then groups the test with the browser tests, whose live server flushes the database
            # in the middle of the ordinary tests (the roles and topics the migrations seed disappear).
            raise pytest.UsageError(
                f"{item.nodeid} asks for a Playwright fixture outside tests/browser: rename its fixture or parameter"
            )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture
def new_context(new_context: Callable[..., BrowserContext]) -> Callable[..., BrowserContext]:
    """pytest-playwright's contexts (``page`` included), set to Spanish (Chile) unless a test passes another
    ``locale``: the browser's Accept-Language follows it, and addresses without a prefix go to that language
    (sermig_portal.language)."""

    def make(**kwargs) -> BrowserContext:
        return new_context(**{"locale": "es-CL", **kwargs})

    return make


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> dict:
    """Parametrises a test over the desktop and phone viewports."""
    return {"name": request.param, **VIEWPORTS[request.param]}


@pytest.fixture
def sized_page(new_context: Callable[..., BrowserContext], viewport: dict) -> Page:
    """A page in a fresh context of the session browser, at the parametrised viewport."""
    context = new_context(viewport={"width": viewport["width"], "height": viewport["height"]})
    return context.new_page()


@pytest.fixture
def zoomed_page(new_context: Callable[..., BrowserContext]) -> Page:
    """A page laid out as a 1280 px window at 200 % zoom."""
    return new_context(viewport=ZOOM_200_VIEWPORT).new_page()


@pytest.fixture(scope="session")
def axe(browser: Browser) -> Axe:
    # Depends on ``browser`` so that a missing Chromium skips before axe is loaded.
    return Axe()


@pytest.fixture
def assert_accessible(axe: Axe) -> Callable[[Page], None]:
    """``assert_accessible(page)`` fails listing every serious or critical axe-core violation of the page."""

    def check(page: Page) -> None:
        results = axe.run(page)
        blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
        if blocking:
            pytest.fail(
                f"axe-core found serious/critical violations on {page.url}:\n{format_violations(blocking)}"
            )

    return check
