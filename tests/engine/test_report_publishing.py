"""Publishing a report is an explicit staff step on its page or in admin, never a side effect of ordering."""

import pytest
from django.urls import reverse

from engine.models import ReportJob
from engine.reports import services
from engine.reports.builtin import PARTICIPANTS_PROFILE
from tests.helpers import enable_mfa, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def publisher(staff_member):
    return grant(enable_mfa(staff_member), "add_reportjob", "view_reportjob", "publish_reportjob")


def built(user, **parameters) -> ReportJob:
    job = services.report_job_start(
        kind=PARTICIPANTS_PROFILE,
        requested_by=user,
        parameters={"rows": "region", **parameters},
        format="csv",
        enqueue_build=False,
    )
    return services.report_job_build(job_id=job.pk, notify_requester=False)


def test_the_report_page_says_ordering_did_not_publish_and_offers_the_step(client, publisher):
    job = built(publisher)
    client.force_login(publisher)
    page = client.get(job.get_absolute_url()).content.decode()
    assert reverse("engine:report-publish", args=[job.pk]) in page
    assert 'value="publish"' in page and 'value="withdraw"' not in page

    response = client.post(reverse("engine:report-publish", args=[job.pk]), {"action": "publish"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.published_by == publisher and job.published_at is not None
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'value="withdraw"' in page

    client.post(reverse("engine:report-publish", args=[job.pk]), {"action": "withdraw"})
    job.refresh_from_db()
    assert job.published_at is None


def test_publishing_needs_a_post_and_the_permission(client, publisher, admin_user):
    job = built(admin_user)
    url = reverse("engine:report-publish", args=[job.pk])
    client.force_login(publisher)
    assert client.get(url).status_code == 405
    publisher.user_permissions.remove(*publisher.user_permissions.filter(codename="publish_reportjob"))
    publisher = type(publisher).objects.get(pk=publisher.pk)
    client.force_login(publisher)
    assert 'value="publish"' not in client.get(job.get_absolute_url()).content.decode()
    assert client.post(url, {"action": "publish"}).status_code == 403
    assert not ReportJob.objects.filter(published_at__isnull=False).exists()


def test_a_raw_report_is_refused_with_a_message_and_stays_private(client, admin_user):
    job = built(admin_user, raw=True)
    client.force_login(admin_user)
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'value="publish"' not in page
    response = client.post(
        reverse("engine:report-publish", args=[job.pk]), {"action": "publish"}, follow=True
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    job.refresh_from_db()
    assert job.published_at is None


def test_admin_publishes_the_newest_of_two_for_the_same_language_and_format(admin_client, admin_user):
    older, newer = built(admin_user), built(admin_user)
    response = admin_client.post(
        reverse("admin:engine_reportjob_changelist"),
        {"action": "publish", "_selected_action": [older.pk, newer.pk]},
    )
    assert response.status_code == 302
    assert list(ReportJob.objects.filter(published_at__isnull=False)) == [newer]
