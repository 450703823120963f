"""Every check constraint of the portal refuses in plain, translated words (issue 13, item 11)."""

from pathlib import Path

from django.apps import apps
from django.db.models import CheckConstraint
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent


def check_constraints():
    """The check constraints of the project's own apps (a new mechanism app included), not the libraries'."""
    for config in apps.get_app_configs():
        path = Path(config.path)
        if path.is_relative_to(ROOT) and ".venv" not in path.parts:
            for model in config.get_models():
                for constraint in model._meta.constraints:
                    if isinstance(constraint, CheckConstraint):
                        yield model, constraint


def test_every_check_constraint_has_its_own_translated_message():
    found = list(check_constraints())
    assert len(found) >= 5
    for model, constraint in found:
        message = constraint.violation_error_message
        where = f"{model.__name__}.{constraint.name}"
        assert message != constraint.default_violation_error_message, where
        assert constraint.name not in str(message), where
        with translation.override("es"):
            spanish = str(message)
        with translation.override("ht"):
            assert str(message) != spanish, f"{where}: no Kreyòl translation"
