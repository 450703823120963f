"""Three languages: Spanish (default, no prefix), Haitian Creole and English; every UI string translated."""

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "lang"),
    [("/", "es"), ("/ht/", "ht"), ("/en/", "en"), ("/cosoc/", "es"), ("/ht/consultas/", "ht")],
)
def test_pages_declare_their_language(client, path, lang):
    response = client.get(path)
    assert response.status_code == 200
    assert f'<html lang="{lang}"'.encode() in response.content


def switcher_link(content: str, code: str) -> str:
    match = re.search(rf'<a href="([^"]+)" hreflang="{code}" lang="{code}"', content)
    assert match, f"no language button for {code}"
    return html.unescape(match.group(1))


def test_switcher_links_keep_the_current_page(client):
    content = client.get("/cuenta-publica/?tema=2").content.decode()
    for code, page in (("ht", "/ht/cuenta-publica/?tema=2"), ("en", "/en/cuenta-publica/?tema=2")):
        response = client.get(switcher_link(content, code))
        assert (response.status_code, response["Location"]) == (302, page)
        # Search engines still see each language's own address.
        assert f'<link rel="alternate" hreflang="{code}" href="{html.escape(page)}">' in content
    assert re.search(r'hreflang="es" lang="es" aria-current="true"', content)


def test_switcher_from_creole_leads_back_to_spanish_without_prefix(client):
    content = client.get("/ht/informacion/").content.decode()
    assert re.search(r'hreflang="ht" lang="ht" aria-current="true"', content)
    response = client.get(switcher_link(content, "es"))
    assert (response.status_code, response["Location"]) == (302, "/informacion/")


def test_kreyol_page_is_in_kreyol(client):
    spanish = client.get("/").content.decode()
    kreyol = client.get("/ht/").content.decode()
    with translation.override("ht"):
        title = translation.gettext("Participe en la política migratoria de Chile")
    assert title != "Participe en la política migratoria de Chile"
    assert title in kreyol
    assert "Participe en la política migratoria de Chile" in spanish


def test_haitian_creole_is_declared():
    info = translation.get_language_info("ht")
    assert info["name_local"] == "Kreyòl ayisyen"
    assert info["bidi"] is False


def _po_statistics(po: Path) -> str:
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_every_ui_string_is_translated(tmp_path):
    """Re-extract the strings from a copy of the tree, so a string added without translation fails here."""
    copy = tmp_path / "tree"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "node_modules", "*.mo", "__pycache__", "staticfiles", "db.sqlite3", ".mypy_cache"
        ),
    )
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "ht",
            "-l",
            "en",
            "--ignore=bench",
            "--ignore=tests",
            "--no-obsolete",
            "-v0",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    # The project's catalogues and every app's own (``<app>/locale``, listed first in LOCALE_PATHS).
    catalogues = [copy / path.relative_to(ROOT) for path in settings.LOCALE_PATHS]
    for catalogue in catalogues:
        for language in ("ht", "en"):
            po = catalogue / language / "LC_MESSAGES" / "django.po"
            stats = _po_statistics(po)
            assert "untranslated" not in stats and "fuzzy" not in stats, f"{po.relative_to(copy)}: {stats}"
