"""The account page and the admin changelist cost a fixed number of queries, with 10 or 200 questions."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from public_accounts import services
from public_accounts.models import Status
from tests.helpers import logged_in
from tests.public_accounts.factories import (
    BudgetLineFactory,
    CommitmentFactory,
    EventFactory,
    PublicAccountFactory,
    QuestionFactory,
    SectionFactory,
    answered,
)

pytestmark = pytest.mark.django_db


def count_queries(browser, url: str) -> int:
    browser.get(url)  # warm caches (content types, translations) so both sides are measured alike
    with CaptureQueriesContext(connection) as context:
        response = browser.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def build(year: int, questions: int):
    account = PublicAccountFactory(year=year)
    sections = [SectionFactory(account=account) for _ in range(3)]
    BudgetLineFactory(account=account)
    EventFactory(account=account)
    CommitmentFactory(account=PublicAccountFactory(year=year - 1, closed=True))
    unit = Group.objects.get_or_create(name="Unidad")[0]
    first = None
    for n in range(questions):
        question = QuestionFactory(account=account, section=sections[n % 3], accepted=True)
        if n % 3 == 0:
            services.question_assign(question=question, unit=unit)
        if n % 4 == 0:
            answered(question)
        if n % 5 == 4 and first is not None:
            services.question_moderate(question=question, status=Status.MERGED, merged_into=first)
        first = first or question
    return account


@pytest.mark.parametrize("fragment_seconds", [0, 30], ids=["rendered", "shared"])
def test_account_page_is_constant(alice, settings, fragment_seconds):
    settings.FRAGMENT_CACHE_SECONDS = fragment_seconds
    small, large = build(2026, 10), build(2030, 200)
    for browser in (Client(), logged_in(alice)):
        assert count_queries(browser, small.get_absolute_url()) == count_queries(
            browser, large.get_absolute_url()
        )
        filtered = f"?seccion={small.sections.first().pk}"
        assert count_queries(browser, small.get_absolute_url() + filtered) == count_queries(
            browser, large.get_absolute_url() + f"?seccion={large.sections.first().pk}"
        )


def test_admin_changelist_is_constant(admin_client):
    build(2026, 10)
    url = reverse("admin:public_accounts_question_changelist")
    small = count_queries(admin_client, url)
    build(2030, 190)
    assert count_queries(admin_client, url) == small
    assert count_queries(admin_client, url + "?plazo=vencido") <= small


def test_my_questions_page_is_constant(alice):
    """A person's own questions, merged ones pointing to the question answered: a fixed number of queries."""
    reader = logged_in(alice)
    url = reverse("public_accounts:my-questions")

    def add(account, count):
        target = QuestionFactory(account=account, accepted=True)
        for n in range(count):
            question = QuestionFactory(account=account, participant=alice.participant)
            if n % 2:
                services.question_moderate(question=question, status=Status.MERGED, merged_into=target)

    add(PublicAccountFactory(year=2026), 4)
    small = count_queries(reader, url)
    add(PublicAccountFactory(year=2030), 16)
    assert count_queries(reader, url) == small
