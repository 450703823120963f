import pytest

from tests.public_accounts.factories import PublicAccountFactory, SectionFactory


@pytest.fixture
def account(db):
    """This year's account, in its questions window, with two sections."""
    account = PublicAccountFactory(year=2026)
    SectionFactory(account=account, title="Regularización", title_es="Regularización")
    SectionFactory(account=account, title="Presupuesto", title_es="Presupuesto")
    return account


@pytest.fixture
def closed_account(db):
    return PublicAccountFactory(year=2025, closed=True)


@pytest.fixture
def draft_account(db):
    return PublicAccountFactory(year=2027, draft=True)
