"""docker-compose.yml cannot run here: check that it only refers to things that exist in the project."""

import importlib
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def env_example_keys() -> set[str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return {line.split("=", 1)[0] for line in lines if line and not line.startswith("#")}


def test_the_stack_has_every_service():
    assert {"web", "worker", "beat", "postgres", "redis", "mailpit"} <= set(SERVICES)


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_worker_and_beat_reuse_the_web_definition(name):
    for key in ("build", "image", "env_file", "depends_on"):
        assert SERVICES[name][key] == SERVICES["web"][key]


def test_web_runs_the_project_wsgi_application():
    command = SERVICES["web"]["command"]
    match = re.search(r"gunicorn ([\w.]+):(\w+)", command)
    assert match
    module = importlib.import_module(match[1])
    assert callable(getattr(module, match[2]))
    assert "manage.py migrate" in command


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_celery_commands_point_to_the_project_app(name):
    command = SERVICES[name]["command"]
    match = re.search(r"celery -A (\w+) (worker|beat)", command)
    assert match
    module = importlib.import_module(match[1])
    assert module.celery_app.main == "sermig_portal"


def test_env_files_and_build_context_exist():
    assert (ROOT / "Dockerfile").is_file()
    for service in SERVICES.values():
        for env_file in (
            [service["env_file"]] if isinstance(service.get("env_file"), str) else service.get("env_file", [])
        ):
            # .env is made from .env.example, which must exist and be complete.
            assert env_file == ".env"
            assert (ROOT / ".env.example").is_file()


def test_variables_used_by_compose_are_in_env_example():
    text = (ROOT / "docker-compose.yml").read_text()
    used = set(re.findall(r"\$\$?\{(\w+)", text))
    assert used <= env_example_keys()


def test_env_example_only_sets_variables_the_project_reads():
    settings_text = "".join(p.read_text() for p in (ROOT / "sermig_portal" / "settings").glob("*.py"))
    postgres_image_vars = {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"}
    for key in env_example_keys() - postgres_image_vars - {"DJANGO_SETTINGS_MODULE"}:
        assert f'"{key}"' in settings_text, f"{key} is set in .env.example but no setting reads it"
    module = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line.startswith("DJANGO_SETTINGS_MODULE=")
    )["DJANGO_SETTINGS_MODULE"]
    assert importlib.util.find_spec(module) is not None
