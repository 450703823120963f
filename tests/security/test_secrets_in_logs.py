"""Issue 11, item 9: secrets that travel in URLs (unsubscribe tokens, report download tokens, export ids,
one-time links) never reach the app log or gunicorn's access and error logs, expected 403/404 warnings carry
no traceback, and unsubscribe tokens carry a version that can be revoked."""

import json
import logging
import re
import runpy
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import gunicorn.config
import pytest
import yaml
from django.conf import settings
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, SlugConverter, UUIDConverter
from django.utils import translation

from engine.models import Frequency, ReportStatus
from engine.notifications import unsubscribe_token
from engine.notifications.tokens import SALT
from engine.reports import services as report_services
from engine.reports.builtin import PARTICIPANTS_PROFILE
from participants import services as participant_services
from sermig_portal.gunicorn_conf import RedactedAtoms
from sermig_portal.logging import REDACTED, redact_text
from tests.engine.factories import SubscriptionFactory
from tests.factories import UserFactory
from tests.helpers import enable_mfa, grant
from tests.test_logging import captured_json_logs
from tests.test_settings_env import clean_env

ROOT = Path(__file__).resolve().parents[2]
SECRET = "Zm9vYmFy:1tA9xQ:c2lnbmF0dXJl"


@pytest.fixture
def json_logs():
    with captured_json_logs() as read:
        yield read


def app_log(records: list[dict]) -> str:
    return json.dumps(records, ensure_ascii=False)


# --- Which routes carry a secret --------------------------------------------------------------------------

# Route parameters that are not secret; any other name must be added here or be redacted.
PUBLIC_PARAMETERS = {
    "slug",
    "type",  # a publication type (transparency feeds and follows)
    "number",  # a publication's version number
    "pk",
    "year",
    "step",
    "fmt",
    "kind",
    "provider_id",
    "object_id",
    "content_type_id",
    "app_label",
    "url",
    "id",
    "language",
    # Numbers of the registry's organisations, documents and representatives (pages check who may see them).
    "organization_pk",
    "document_pk",
    "representative_pk",
    "version",
}


def routes(patterns=None, namespace: str = "", parameters: tuple = ()):
    """(name, parameters as (name, converter or None)) of every named route, with its includes' parameters."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        own = tuple(getattr(pattern.pattern, "converters", {}).items()) or tuple(
            (name, None) for name in pattern.pattern.regex.groupindex
        )
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from routes(pattern.url_patterns, inner, parameters + own)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", parameters + own


SECRET_ROUTES = sorted(
    {
        (name, params)
        for name, params in routes()
        if any(param not in PUBLIC_PARAMETERS for param, _converter in params)
    }
)


def sample(param: str, converter) -> str:
    if isinstance(converter, IntConverter):
        return "7"
    if isinstance(converter, UUIDConverter):
        return str(uuid.UUID(int=0xFEEDFACE))
    if isinstance(converter, SlugConverter) or param in PUBLIC_PARAMETERS:
        return "una-consulta"
    return "4" if param == "uidb36" else f"{param}S3cr3t"


def test_the_routes_with_a_secret_are_the_known_ones():
    assert {name for name, _params in SECRET_ROUTES} == {
        "engine:unsubscribe",
        "engine:report-download",
        "participants:export-detail",
        "participants:export-download",
        "participants:export-download-pdf",
        "consultations:anonymous-confirm",
        "public_accounts:email-confirm",
        "account_confirm_email",
        "account_reset_password_from_key",
    }


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
@pytest.mark.parametrize(("name", "params"), SECRET_ROUTES, ids=[name for name, _p in SECRET_ROUTES])
def test_every_secret_in_a_path_is_redacted(name, params, language):
    values = {param: sample(param, converter) for param, converter in params}
    with translation.override(language):
        path = reverse(name, kwargs=values)
    secrets = [values[param] for param, _converter in params if param not in PUBLIC_PARAMETERS]
    for text in (path, f"https://participacion.example.cl{path}?x=1", f"GET {path} HTTP/1.1", path[1:]):
        redacted = redact_text(text)
        assert REDACTED in redacted
        assert not any(secret in redacted for secret in secrets), redacted
    assert "/una-consulta/" in redact_text(path) or "una-consulta" not in path  # public parts stay readable


def test_a_secret_in_a_login_redirect_or_an_openid_callback_is_redacted():
    text = redact_text(
        "/cuenta/login/?next=/avisos/reportes/3/descargar/abc%3A1tA%3Asig/ "
        "/cuenta/claveunica/claveunica/login/callback/?state=St4te&code=C0de"
    )
    assert "abc%3A1tA%3Asig" not in text and "St4te" not in text and "C0de" not in text
    assert "/avisos/reportes/3/descargar/" in text


def test_ordinary_paths_are_left_alone():
    for path in (
        "/consultas/sin-cuenta-hoy/",
        "/avisos/",
        "/ht/consultas/una-consulta/sin-cuenta/",
        "/salud/",
    ):
        assert redact_text(path) == path


# --- The app log -----------------------------------------------------------------------------------------


@pytest.fixture
def subscription(db, alice):
    return SubscriptionFactory(user=alice)


@pytest.mark.parametrize("prefix", ["", "/ht"])
def test_an_invalid_unsubscribe_link_leaves_no_token_in_the_app_log(client, subscription, json_logs, prefix):
    token = unsubscribe_token(subscription_id=subscription.pk)
    altered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = client.get(f"{prefix}/avisos/baja/{altered}/")
    assert response.status_code == 400
    [record] = [r for r in json_logs() if r["logger"] == "django.request"]
    assert record["status_code"] == 400
    assert record["message"] == f"Bad Request: {prefix}/avisos/baja/{REDACTED}/"
    assert altered not in app_log(json_logs()) and token.split(":")[0] not in app_log(json_logs())


@pytest.fixture
def finished_report(staff_member):
    analyst = grant(enable_mfa(staff_member), "add_reportjob")
    job = report_services.report_job_start(
        kind=PARTICIPANTS_PROFILE, requested_by=analyst, parameters={"rows": "region"}
    )
    report_services.report_job_build(job_id=job.pk, notify_requester=False)
    job.refresh_from_db()
    assert job.status == ReportStatus.DONE
    return job, analyst


def test_a_report_link_used_by_someone_else_leaves_no_token_nor_traceback(client, finished_report, json_logs):
    job, analyst = finished_report
    token = report_services.report_download_token(job=job, user=analyst)
    other = grant(enable_mfa(UserFactory(email="otra@example.org", is_staff=True)), "add_reportjob")
    client.force_login(other)
    response = client.get(reverse("engine:report-download", args=[job.pk, token]))
    assert response.status_code == 404  # not hers: the job does not exist for her
    [record] = [r for r in json_logs() if r["logger"] == "django.request"]
    assert record["level"] == "WARNING" and record["status_code"] == 404
    assert record["message"] == f"Not Found: /avisos/reportes/{job.pk}/descargar/{REDACTED}/"
    assert "exc_info" not in record  # an expected 404: no traceback
    output = app_log(json_logs())
    assert token not in output and token.split(":")[-1] not in output
    assert "Traceback" not in output


def test_a_refused_report_link_leaves_no_token(client, finished_report, json_logs):
    job, analyst = finished_report
    token = report_services.report_download_token(job=job, user=analyst)
    client.force_login(analyst)
    response = client.get(reverse("engine:report-download", args=[job.pk, token[:-2] + "xx"]))
    assert response.status_code == 403
    assert token[:-2] not in app_log(json_logs())
    assert REDACTED in app_log(json_logs())


def test_someone_elses_data_export_leaves_no_id(client, alice, bob, json_logs):
    export = participant_services.data_export_create(user=alice)
    client.force_login(bob)
    assert client.get(reverse("participants:export-download", args=[export.pk])).status_code == 404
    output = app_log(json_logs())
    assert str(export.pk) not in output
    assert "Traceback" not in output and "/cuenta/mis-datos/copia/[redacted]/descargar/" in output


def test_an_unexpected_error_keeps_its_traceback_without_the_secret(json_logs):
    try:
        raise signing.BadSignature(f"while handling /avisos/baja/{SECRET}/")
    except signing.BadSignature:
        logging.getLogger("django.request").exception(
            "Internal Server Error: /avisos/baja/%s/", SECRET, extra={"status_code": 500}
        )
    [record] = json_logs()
    assert record["level"] == "ERROR"
    assert "Traceback" in record["exc_info"] and "BadSignature" in record["exc_info"]
    assert SECRET not in app_log([record])


def test_the_request_object_in_django_warnings_is_redacted(rf, json_logs):
    request = rf.get(f"/avisos/baja/{SECRET}/")
    logging.getLogger("django.request").warning(
        "Not Found: %s", request.path, extra={"status_code": 404, "request": request}
    )
    [record] = json_logs()
    assert SECRET not in app_log([record])
    assert record["request"] == f"<WSGIRequest: GET '/avisos/baja/{REDACTED}/'>"


# --- Gunicorn's access and error logs ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, **headers: str) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_gunicorn_logs_no_secret_from_paths_queries_or_referers(tmp_path):
    port, access, errors = free_port(), tmp_path / "access.log", tmp_path / "error.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:sermig_portal.gunicorn_conf",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--access-logfile",
        str(access),
        "--error-logfile",
        str(errors),
        "tests.security.gunicorn_app:application",
    ]
    if any(setting.name == "control_socket_disable" for setting in gunicorn.config.KNOWN_SETTINGS):
        command.insert(-1, "--no-control-socket")  # newer gunicorn: no shared socket in the home directory
    server = subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env=clean_env(DJANGO_SETTINGS_MODULE="sermig_portal.settings.test")
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                fetch(f"{base}/salud/")
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.1)
        assert (
            fetch(f"{base}/ht/avisos/baja/{SECRET}/", Referer=f"{base}/avisos/reportes/9/descargar/R3f3r3r/")
            == 404
        )
        assert fetch(f"{base}/cuenta/mis-datos/copia/{uuid.UUID(int=0xFEEDFACE)}/descargar/") == 404
        assert fetch(f"{base}/cuenta/claveunica/claveunica/login/callback/?state=St4te&code=C0de") == 404
        assert fetch(f"{base}/avisos/baja/boom{SECRET}/") == 500
    finally:
        server.terminate()
        server.wait(timeout=20)

    logged = access.read_text() + errors.read_text()
    for secret in (SECRET, "R3f3r3r", str(uuid.UUID(int=0xFEEDFACE)), "St4te", "C0de"):
        assert secret not in logged
    lines = access.read_text().splitlines()
    assert f'"GET /ht/avisos/baja/{REDACTED}/ HTTP/1.1" 404' in lines[1]
    assert f'"{base}/avisos/reportes/9/descargar/{REDACTED}/"' in lines[1]  # the referer
    assert f"/cuenta/mis-datos/copia/{REDACTED}/descargar/" in lines[2]
    assert f"Error handling request GET /avisos/baja/{REDACTED}/" in errors.read_text()
    assert "RuntimeError: the application failed" in errors.read_text()  # the traceback is still there


def test_any_access_log_format_gets_redacted_atoms():
    atoms = RedactedAtoms(
        {
            "U": f"/avisos/baja/{SECRET}/",
            "q": "state=St4te&code=C0de",
            "{raw_uri}e": f"/avisos/baja/{SECRET}/?a=1",
            "{referer}i": f"https://x.cl/cuenta/mis-datos/copia/{SECRET}/",
            "s": 404,
        }
    )
    line = "%(U)s %(q)s %({RAW_URI}e)s %({Referer}i)s %(s)s %(missing)s" % atoms  # noqa: UP031  (as gunicorn does)
    assert SECRET not in line and "St4te" not in line and "C0de" not in line
    assert line.endswith(" 404 -")


def test_the_portals_gunicorn_commands_use_the_redacting_configuration():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE).group(1))
    for command in (compose["services"]["web"]["command"], " ".join(cmd)):
        assert "--config python:sermig_portal.gunicorn_conf" in command


# --- Revocable unsubscribe tokens ------------------------------------------------------------------------


def test_tokens_carry_the_current_version(subscription, settings):
    settings.ENGINE_UNSUBSCRIBE_TOKEN_VERSION = 3
    assert signing.loads(unsubscribe_token(subscription_id=subscription.pk), salt=SALT)["v"] == 3


def test_a_revoked_version_shows_the_invalid_link_page_and_changes_nothing(client, subscription, settings):
    old = unsubscribe_token(subscription_id=subscription.pk)
    settings.ENGINE_UNSUBSCRIBE_TOKEN_VERSION = 2
    settings.ENGINE_UNSUBSCRIBE_REVOKED_VERSIONS = frozenset({1})
    page = client.get(f"/avisos/baja/{old}/")
    assert page.status_code == 400
    assert "engine/unsubscribe_invalid.html" in [t.name for t in page.templates]
    assert "ya no sirve" in page.content.decode()
    assert client.post(f"/avisos/baja/{old}/").status_code == 400
    subscription.refresh_from_db()
    assert subscription.frequency != Frequency.OFF

    new = unsubscribe_token(subscription_id=subscription.pk)
    assert client.post(f"/avisos/baja/{new}/").status_code == 200
    subscription.refresh_from_db()
    assert subscription.frequency == Frequency.OFF


def test_links_from_before_versions_work_until_version_0_is_revoked(client, subscription, settings):
    legacy = signing.dumps({"s": subscription.pk}, salt=SALT)
    assert client.get(f"/avisos/baja/{legacy}/").status_code == 200
    settings.ENGINE_UNSUBSCRIBE_REVOKED_VERSIONS = frozenset({0})
    assert client.get(f"/avisos/baja/{legacy}/").status_code == 400


def test_settings_refuse_revoking_the_version_new_links_use(monkeypatch):
    monkeypatch.setenv("ENGINE_UNSUBSCRIBE_TOKEN_VERSION", "2")
    monkeypatch.setenv("ENGINE_UNSUBSCRIBE_REVOKED_VERSIONS", "1,2")
    with pytest.raises(ImproperlyConfigured, match="ENGINE_UNSUBSCRIBE_TOKEN_VERSION is revoked"):
        runpy.run_path(str(ROOT / "sermig_portal" / "settings" / "base.py"))
