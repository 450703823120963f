"""Logs are JSON on stdout and never carry passwords or participant attributes."""

import copy
import io
import json
import logging
import logging.config
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings


@contextmanager
def captured_json_logs() -> Iterator[Callable[[], list[dict]]]:
    """The project's logging configuration, with the stdout stream swapped for a buffer we can read."""
    config = copy.deepcopy(settings.LOGGING)
    assert config["handlers"]["stdout"]["stream"] == "ext://sys.stdout"
    buffer = io.StringIO()
    config["handlers"]["stdout"]["stream"] = buffer
    logging.config.dictConfig(config)
    try:
        yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]
    finally:
        logging.config.dictConfig(settings.LOGGING)


@pytest.fixture
def json_logs():
    with captured_json_logs() as read:
        yield read


def test_logs_are_json_lines(json_logs):
    logging.getLogger("sermig.test").info("portal started on port %s", 8000)
    [record] = json_logs()
    assert record["message"] == "portal started on port 8000"
    assert record["level"] == "INFO"
    assert record["logger"] == "sermig.test"


def test_passwords_in_messages_and_arguments_are_redacted(json_logs):
    logger = logging.getLogger("sermig.test")
    logger.warning("login failed for form %s", {"email": "a@example.org", "password": "hunter2-secret"})
    logger.warning("retry with password=hunter2-secret&next=/")
    output = json.dumps(json_logs())
    assert "hunter2-secret" not in output
    assert "a@example.org" in output


def test_participant_attributes_in_extra_are_redacted(json_logs):
    logging.getLogger("sermig.test").info(
        "profile saved",
        extra={
            "gender_identity": "non_binary",
            "payload": {"migration_status": "irregular", "region": "CL-AI"},
        },
    )
    [record] = json_logs()
    assert record["gender_identity"] == "[redacted]"
    assert record["payload"] == {"migration_status": "[redacted]", "region": "[redacted]"}
    assert "non_binary" not in json.dumps(record)
    assert "irregular" not in json.dumps(record)


def test_sql_is_not_logged_at_info(json_logs):
    assert logging.getLogger("django.db.backends").getEffectiveLevel() >= logging.WARNING
