"""Plain helpers shared by the tests: import them from here (``from tests.helpers import enable_mfa``).

Conftests hold fixtures only; anything a test calls by name lives in this module.
"""

import re
import subprocess
import threading
import time
import zlib
from collections.abc import Callable
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import connections
from django.forms import MultiWidget
from django.test import Client
from django.utils.translation import get_language

from consultations import reports as consultation_reports
from consultations.models import Phase
from engine import search
from engine.models import Mechanism, Topic
from engine.reports.services import report_job_build, report_job_publish, report_job_start
from participants.forms import ParticipantAttributesForm

# --- Accounts -----------------------------------------------------------------------------------------

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def enable_mfa(user):
    """Staff need a second factor before reaching /admin/ (participants.middleware.RequireMFAMiddleware)."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, TOTP_SECRET)
    return user


def totp_code(secret: str = TOTP_SECRET) -> str:
    """The code an authenticator app shows now for ``secret``."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def verified(user):
    """The user's email address is confirmed, as after clicking the link of the sign-up email."""
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def logged_in(user, *, language: str | None = "es") -> Client:
    """A browser of its own, so two people can act in one test.

    Its language buttons chose ``language`` (Spanish unless told otherwise), so addresses without a prefix
    stay at that language for a Kreyòl reader too; ``language=None`` leaves the choice to the person's saved
    language and the browser (``sermig_portal.language``).
    """
    browser = Client()
    if language:
        browser.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    browser.force_login(verified(user))
    return browser


def login(client: Client, email: str, password: str):
    """Sign in through allauth's form, as a person does (throttling and MFA included)."""
    return client.post("/cuenta/login/", {"login": email, "password": password})


def grant(user, *codenames: str):
    """Give ``user`` these permissions (by codename), visible at once to ``has_perm``."""
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    # Django caches permissions on the instance.
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)
    return user


# --- Admin --------------------------------------------------------------------------------------------


def admin_form_data(page) -> dict:
    """An admin change form with its inlines, nested ones included, as the browser would post it, unchanged."""
    data = {}
    forms = [page.context["adminform"].form]
    formsets = [inline.formset for inline in page.context["inline_admin_formsets"]]
    while formsets:
        formset = formsets.pop()
        management = formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
        forms.extend(formset.forms)
        for form in formset.forms:
            formsets.extend(getattr(form, "nested_formsets", []))
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None or value is False:
                continue
            widget = getattr(field.widget, "widget", field.widget)  # inside admin's related-field wrapper
            if isinstance(widget, MultiWidget):  # a date-time field posts a date and a time
                for index, part in enumerate(widget.decompress(value)):
                    data[f"{form.add_prefix(name)}_{index}"] = part
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    return data


# --- Concurrency --------------------------------------------------------------------------------------


def run_in_parallel(work: Callable[[], Any], threads: int = 20) -> list:
    """Run ``work`` in ``threads`` threads released at the same instant; return their results (or errors)."""
    barrier = threading.Barrier(threads)
    results: list = []
    lock = threading.Lock()

    def target():
        try:
            barrier.wait()
            outcome = work()
        except Exception as error:  # noqa: BLE001 - reported by the test below
            outcome = error
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    workers = [threading.Thread(target=target) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    return results


# --- Consultations ------------------------------------------------------------------------------------


def close(consultation) -> None:
    consultation.phase_override = Phase.CLOSED
    consultation.save(update_fields=["phase_override"])


def review_data(participant=None, **overrides) -> dict:
    """What a browser posts from the review page: the profile questions as pre-filled, plus the CSRF token."""
    form = ParticipantAttributesForm(instance=participant, prefix="perfil")
    data = {"csrfmiddlewaretoken": "token"}
    for name in form.fields:
        value = form[name].value()
        if value not in (None, "", False, []):
            data[form.add_prefix(name)] = value
    data.update({f"perfil-{name}": value for name, value in overrides.items()})
    return data


def build_report(consultation, fmt: str, *, by, raw: bool = False, language: str = "es"):
    """Build the systematisation report the way staff order it in the engine (synchronously here)."""
    parameters = {"consultation": consultation.pk, **({"raw": True} if raw else {})}
    job = report_job_start(
        kind=consultation_reports.CONSULTATION_RESULTS,
        requested_by=by,
        parameters=parameters,
        format=fmt,
        language=language,
        enqueue_build=False,
    )
    return report_job_build(job_id=job.pk, notify_requester=False)


def publish_report(consultation, fmt: str, *, by, language: str = "es"):
    """Build the systematisation report and publish it on the portal, as staff do in two steps."""
    return report_job_publish(job=build_report(consultation, fmt, by=by, language=language), by=by)


# --- Browser (axe-core) -------------------------------------------------------------------------------

# Widths the portal must serve without horizontal scrolling: a laptop and a small Android phone.
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 360, "height": 740},
}
# A 1280 px wide window at 200 % zoom lays the page out in 640 CSS px (WCAG 1.4.4 and 1.4.10).
ZOOM_200_VIEWPORT = {"width": 640, "height": 800}

BLOCKING_IMPACTS = {"serious", "critical"}

# The rendered size of the smallest text in the page's charts: each SVG's font size times its scale on screen.
SMALLEST_CHART_TEXT = """() => {
  const sizes = [...document.querySelectorAll("svg.report-chart")].flatMap(svg => {
    const scale = svg.getScreenCTM().a;
    return [...svg.querySelectorAll("text")].map(text => parseFloat(getComputedStyle(text).fontSize) * scale);
  });
  return sizes.length ? Math.min(...sizes) : Infinity;
}"""


def smallest_chart_text(page) -> float:
    """The smallest chart text on ``page`` in CSS pixels (infinity when it has no chart)."""
    return page.evaluate(SMALLEST_CHART_TEXT)


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    target {node['target']}: {node.get('failureSummary', '').strip()!r}")
    return "\n".join(lines)


# --- PDF ----------------------------------------------------------------------------------------------


def pdf_objects(content: bytes) -> bytes:
    """A PDF's objects with their streams inflated, to look for its structure tree and metadata."""
    inflated = [content]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            inflated.append(zlib.decompress(match.group(1)))
        except zlib.error:
            inflated.append(match.group(1))
    return b"\n".join(inflated)


def pdf_page_texts(content: bytes, tmp_path) -> list[str]:
    """The text of each page (poppler's pdftotext; the caller skips when it is not installed)."""
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


# Collects every violation the page reports (an init script runs before the page's own, outside the policy):
# ``context.add_init_script(LISTEN_FOR_CSP_VIOLATIONS)`` before opening the page.
LISTEN_FOR_CSP_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || ''));
});
"""


def assert_no_csp_violations(page, console: list[str]) -> None:
    """No violation recorded by LISTEN_FOR_CSP_VIOLATIONS, and none (nor a script error) in ``console``."""
    violations = page.evaluate("window.__csp")
    policy_messages = [line for line in console if "Content Security Policy" in line or "pageerror" in line]
    assert violations == [] and policy_messages == [], (violations, policy_messages)


# --- Search: a provider over topics stands in for a mechanism (the engine imports no app) ---------------


class TopicSearch(search.Provider):
    model = Topic
    mechanism = Mechanism.INFORMATION
    kind = "test-topic"
    label = "Tema de prueba"
    title_field = "name"

    def queryset(self):
        return Topic.objects.active()

    def body(self, obj):
        return obj.description

    def url(self, obj):
        prefix = "" if get_language() == "es" else f"/{get_language()}"
        return f"{prefix}/temas/{obj.slug}/"


def topic(es: str, *, ht: str = "", en: str = "", body: str = "", active: bool = True, index: bool = True):
    """A topic (indexed through ``TopicSearch`` unless ``index=False``), translated as given."""
    made = Topic.objects.create(
        slug=f"t{Topic.objects.count()}",
        name=es,
        name_es=es,
        name_ht=ht,
        name_en=en,
        description=body,
        description_es=body,
        is_active=active,
    )
    if index:
        search.index(made)
    return made
