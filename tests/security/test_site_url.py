"""Every email links to SITE_URL: production refuses to start without a right one (issue 11, item 11)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
import yaml

from tests.test_settings_env import PRODUCTION, ROOT, clean_env

PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({"site_url": settings.SITE_URL, "engine_site_url": settings.ENGINE_SITE_URL}))
"""


def start(module: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=clean_env(DJANGO_SETTINGS_MODULE=f"sermig_portal.settings.{module}", **env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def site_urls(module: str, **env: str) -> dict:
    result = start(module, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_refuses_to_start_without_it():
    environment = {key: value for key, value in PRODUCTION.items() if key != "SITE_URL"}
    result = start("production", **environment)
    assert result.returncode != 0
    assert "Set the SITE_URL environment variable" in result.stderr


@pytest.mark.parametrize(
    ("site_url", "complaint"),
    [
        ("", "SITE_URL must be the portal's address"),
        ("participacion.example.org", "SITE_URL must be the portal's address"),
        ("ftp://participacion.example.org", "SITE_URL must be the portal's address"),
        ("http://participacion.example.org", "SITE_URL must start with https://"),
        ("https://otro-sitio.example.org", "is not in ALLOWED_HOSTS"),
    ],
    ids=["empty", "no scheme", "not the web", "plain http", "another host"],
)
def test_production_refuses_a_wrong_one(site_url, complaint):
    result = start("production", **{**PRODUCTION, "SITE_URL": site_url})
    assert result.returncode != 0
    assert complaint in result.stderr


def test_production_links_to_it():
    values = site_urls("production", **{**PRODUCTION, "SITE_URL": "https://participacion.example.org/"})
    assert values == {
        "site_url": "https://participacion.example.org",
        "engine_site_url": "https://participacion.example.org",
    }


def test_plain_http_is_accepted_where_tls_is_off_on_purpose():
    """The compose stack on a laptop: no TLS proxy in front, SECURE_SSL_REDIRECT=False."""
    environment = {**PRODUCTION, "SITE_URL": "http://localhost:8000", "ALLOWED_HOSTS": "localhost"}
    values = site_urls("production", SECURE_SSL_REDIRECT="False", **environment)
    assert values["engine_site_url"] == "http://localhost:8000"


def test_development_derives_it_from_the_port_make_run_serves_on():
    assert site_urls("dev")["engine_site_url"] == "http://127.0.0.1:8000"
    assert site_urls("dev", PORT="8123") == {
        "site_url": "http://127.0.0.1:8123",
        "engine_site_url": "http://127.0.0.1:8123",
    }
    assert site_urls("dev", PORT="8123", SITE_URL="http://portal.test:8123")["site_url"] == (
        "http://portal.test:8123"
    )


def test_readme_env_example_and_compose_list_it():
    readme = (ROOT / "README.md").read_text()
    assert re.search(r"^\| `SITE_URL` \|", readme, re.MULTILINE)
    example = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    site = urlsplit(example["SITE_URL"])
    assert site.scheme == "https" and site.hostname in example["ALLOWED_HOSTS"].split(",")
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name in ("web", "worker", "beat"):  # the worker sends the emails
        assert "SITE_URL" in compose["services"][name]["environment"], name
