import pytest
from django.test import Client

from tests.helpers import enable_mfa, grant, logged_in


@pytest.fixture
def editor(staff_member):
    """Staff who keep the register, with a second factor."""
    return grant(enable_mfa(staff_member), "view_publication", "change_publication", "add_publication")


@pytest.fixture
def editor_client(editor) -> Client:
    return logged_in(editor)


@pytest.fixture(autouse=True)
def _files_in_memory(file_storage):
    """Attachments are stored in a throw-away in-memory storage."""
    return file_storage
