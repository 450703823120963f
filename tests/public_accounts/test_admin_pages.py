"""The admin pages of accounts and questions render, in every language, with their translated tabs."""

import pytest
from django.urls import reverse

from tests.public_accounts.factories import (
    BudgetLineFactory,
    CommitmentFactory,
    EventFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["es", "ht", "en"])
def test_account_and_question_admin_pages_render(admin_client, account, language):
    admin_client.cookies["django_language"] = language
    BudgetLineFactory(account=account)
    CommitmentFactory(account=account)
    EventFactory(account=account)
    question = QuestionFactory(account=account, accepted=True)
    for url in (
        reverse("admin:public_accounts_publicaccount_add"),
        reverse("admin:public_accounts_publicaccount_change", args=[account.pk]),
        reverse("admin:public_accounts_publicaccount_changelist"),
        reverse("admin:public_accounts_question_changelist") + "?plazo=vencido",
        reverse("admin:public_accounts_question_change", args=[question.pk]),
        reverse("public_accounts:in-person", kwargs={"year": account.year}),
    ):
        assert admin_client.get(url, follow=True).status_code == 200, url
    page = admin_client.get(
        reverse("admin:public_accounts_question_change", args=[question.pk])
    ).content.decode()
    assert 'name="answer_ht"' in page and 'name="answer_es"' in page
