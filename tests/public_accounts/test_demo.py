import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from public_accounts.models import AnswerState, Channel, PublicAccount, Status

pytestmark = pytest.mark.django_db


def test_demo_accounts(file_storage):
    call_command("load_demo_data", "--allow-without-debug", stdout=io.StringIO())
    call_command("load_demo_data", "--allow-without-debug", stdout=io.StringIO())  # idempotent
    year = timezone.localtime().year
    last, this = PublicAccount.objects.get(year=year - 1), PublicAccount.objects.get(year=year)
    answered = last.questions.filter(answer_state=AnswerState.PUBLISHED)
    assert answered.count() == 30
    assert {q.channel for q in answered} == {Channel.ONLINE, Channel.IN_PERSON}
    assert last.answer_documents.get().question_count == 30
    assert this.is_open_for_questions
    assert this.questions.filter(status=Status.PENDING).count() >= 3
    rejected = this.questions.get(status=Status.REJECTED)
    assert rejected.rejection_reason
    client = Client()
    page = client.get(this.get_absolute_url()).content.decode()
    assert "Abrir una oficina en Arica" in page  # last year's commitments in this year's account
    assert rejected.text not in page
    assert client.get(rejected.get_absolute_url()).status_code == 404
    assert client.get(last.get_absolute_url()).status_code == 200
