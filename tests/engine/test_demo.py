import io

import pytest
from django.core.management import call_command

from engine.models import Frequency, ReferenceDistribution, ReportJob, ReportStatus, Subscription
from participants.demo import DEMO_CITIZEN_EMAIL

pytestmark = pytest.mark.django_db


def load() -> str:
    out = io.StringIO()
    call_command("load_demo_data", "--allow-without-debug", stdout=out)
    return out.getvalue()


def test_engine_demo_data_is_there_and_idempotent():
    load()
    load()
    # The engine's demo follows a mechanism and two topics; apps' demos may add objects or types to follow.
    citizen_subscriptions = Subscription.objects.filter(
        user__email=DEMO_CITIZEN_EMAIL, content_type__isnull=True
    )
    assert citizen_subscriptions.count() == 3
    assert citizen_subscriptions.filter(frequency=Frequency.WEEKLY).count() == 2
    distribution = ReferenceDistribution.objects.get(year=2023)
    shares = {share.category: share.share for share in distribution.shares.all()}
    assert float(shares["VE"]) == 38.0 and float(shares["HT"]) == 9.8 and sum(shares.values()) == 100
    job = ReportJob.objects.get(kind="participants-profile", parameters__demo=True)
    assert job.status == ReportStatus.DONE and job.file.size > 1000
    assert bytes(job.file.content).startswith(b"%PDF")
