"""The demo register: every type in three languages, the policy's plain summary, the budget table, documents,
one item past review, one draft only staff see; loading twice changes nothing."""

import io

import pytest
from django.test import Client

from transparency import demo
from transparency.models import Attachment, BudgetRow, Publication, PublicationType, Status

pytestmark = pytest.mark.django_db


def test_demo_register_is_complete_and_idempotent(file_storage):
    demo.load(io.StringIO())
    counts = (Publication.objects.count(), Attachment.objects.count(), BudgetRow.objects.count())
    demo.load(io.StringIO())
    assert (Publication.objects.count(), Attachment.objects.count(), BudgetRow.objects.count()) == counts
    assert counts[0] >= 15 and counts[1] >= 2 and counts[2] >= 5
    assert set(Publication.objects.public().values_list("type", flat=True)) == set(PublicationType.values)
    assert not Publication.objects.public().filter(title_ht="").exists()
    assert not Publication.objects.public().filter(summary_en="").exists()
    assert Publication.objects.filter(status=Status.DRAFT).count() == 1
    assert Publication.objects.past_review().exists()
    policy = Publication.objects.get(slug="politica-nacional-migracion-extranjeria")
    assert policy.versions.count() == 2 and policy.attachments.exists()
    content = Client().get("/en/informacion/politica-nacional-migracion-extranjeria/").content.decode()
    assert "National Migration and Foreign Affairs Policy" in content and "(PDF," in content
    draft = Publication.objects.get(status=Status.DRAFT)
    assert Client().get(f"/informacion/{draft.slug}/").status_code == 404
