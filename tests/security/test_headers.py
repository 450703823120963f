"""Issue 11, item 10: Content-Security-Policy, Permissions-Policy and Cross-Origin-Resource-Policy on every
response: public pages, account pages, admin, static files, error pages and pages from the page cache.

The browser side (no CSP violation, admin's JS and the translation tabs working under the policy) is in
``tests/browser/test_csp.py``, beside the browser fixtures.
"""

import re

import pytest

from tests.helpers import enable_mfa
from tests.security.conftest import dev_setting
from tests.test_settings_env import ROOT

pytestmark = pytest.mark.django_db
TEMPLATES = ROOT / "templates"


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


def assert_protected(response) -> None:
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


@pytest.mark.parametrize(
    "path", ["/", "/ht/", "/en/consultas/", "/informacion/", "/cuenta/login/", "/cuenta/signup/", "/salud/"]
)
def test_public_pages(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_protected(response)


@pytest.mark.parametrize("path", ["/cuenta/perfil/", "/cuenta/mis-datos/", "/cuenta/sessions/", "/avisos/"])
def test_account_pages(client, citizen, path):
    client.force_login(citizen)
    response = client.get(path)
    assert response.status_code == 200
    assert_protected(response)


@pytest.mark.parametrize("path", ["/admin/", "/admin/engine/topic/", "/admin/engine/topic/1/change/"])
def test_admin_pages(client, admin_user, path):
    client.force_login(enable_mfa(admin_user))
    response = client.get(path)
    assert response.status_code == 200
    assert_protected(response)


def test_static_files_error_pages_and_redirects(client):
    for path, status in [
        ("/static/css/portal.css", 200),
        ("/static/vendor/jquery-ui/jquery-ui.min.js", 200),
        ("/no-existe/", 404),
        ("/cuenta/perfil/", 302),
    ]:
        response = client.get(path)
        assert response.status_code == status, path
        assert response["Cross-Origin-Resource-Policy"] == "same-origin", path
        assert "camera=()" in response["Permissions-Policy"], path


def test_a_page_from_the_anonymous_page_cache_keeps_the_headers(client, settings):
    settings.CACHE_MIDDLEWARE_SECONDS = 30
    first = client.get("/informacion/")
    second = client.get("/informacion/")
    assert first.status_code == second.status_code == 200
    assert_protected(second)


def test_with_claveunica_forms_may_also_go_to_its_server():
    form_action = "settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']"
    assert dev_setting(form_action) == ["'self'"]
    assert dev_setting(form_action, CLAVEUNICA_CLIENT_ID="portal", CLAVEUNICA_SECRET="secreto") == [
        "'self'",
        "https://accounts.claveunica.gob.cl",
    ]


INLINE_STYLE = re.compile(r"\sstyle\s*=", re.I)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I)


def page_templates():
    # Emails are read in mail programs (which need inline styles), PDFs (``*_pdf.html``) by WeasyPrint:
    # neither is a page the browser applies the policy to.
    for path in sorted(TEMPLATES.rglob("*.html")):
        relative = path.relative_to(TEMPLATES).as_posix()
        if relative.startswith("emails/") or relative.endswith("_pdf.html"):
            continue
        yield relative, path.read_text()


def test_page_templates_have_no_inline_style_or_script():
    offenders = [
        relative
        for relative, text in page_templates()
        if INLINE_STYLE.search(text) or INLINE_SCRIPT.search(text) or "<style" in text
    ]
    assert offenders == []


@pytest.mark.parametrize("path", ["/", "/consultas/", "/cuenta/login/", "/cuenta/signup/", "/cuenta/email/"])
def test_rendered_pages_have_no_inline_style_or_script(client, citizen, path):
    client.force_login(citizen)
    content = client.get(path).content.decode()
    assert not INLINE_STYLE.search(content), path
    assert not INLINE_SCRIPT.search(content), path


def test_the_email_page_with_a_change_pending_has_no_inline_style(client, citizen):
    # allauth's own template hides a form with style="display: none"; ours uses the hidden attribute.
    citizen.emailaddress_set.create(email="nueva.direccion@example.org", verified=False, primary=False)
    client.force_login(citizen)
    content = client.get("/cuenta/email/").content.decode()
    assert 'id="pending-email"' in content
    assert not INLINE_STYLE.search(content)
