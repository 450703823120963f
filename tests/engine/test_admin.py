"""Staff manage the engine in the admin: lists stay cheap, actions go through services and permissions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engine.models import Mechanism, Notification, NotificationStatus, ReferenceDistribution, ReportJob
from engine.notifications import notify
from engine.reports import services
from engine.reports.builtin import PARTICIPANTS_PROFILE
from tests.engine.factories import ReferenceDistributionFactory, subscribers
from tests.helpers import enable_mfa, grant

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "topic",
    "subscription",
    "notification",
    "bouncedaddress",
    "referencedistribution",
    "reportjob",
]


@pytest.mark.parametrize("model", CHANGELISTS)
def test_changelists_and_add_pages_load(admin_client, model):
    assert admin_client.get(reverse(f"admin:engine_{model}_changelist")).status_code == 200


def queries_for(admin_client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert admin_client.get(url).status_code == 200
    return len(captured)


def test_notification_list_queries_do_not_grow(admin_client):
    url = reverse("admin:engine_notification_changelist")
    subscribers(10, prefix="a", mechanism=Mechanism.COSOC)
    notify(kind="generic", mechanism=Mechanism.COSOC, context={"title": "x"})
    few = queries_for(admin_client, url)
    subscribers(90, prefix="b", mechanism=Mechanism.COSOC)
    notify(kind="generic", mechanism=Mechanism.COSOC, context={"title": "y"})
    assert queries_for(admin_client, url) == few


def test_subscription_list_queries_do_not_grow(admin_client):
    url = reverse("admin:engine_subscription_changelist")
    subscribers(10, prefix="a", mechanism=Mechanism.COSOC)
    few = queries_for(admin_client, url)
    subscribers(90, prefix="b", mechanism=Mechanism.INFORMATION)
    assert queries_for(admin_client, url) == few


def test_report_job_list_queries_do_not_grow(admin_client, admin_user):
    url = reverse("admin:engine_reportjob_changelist")
    for _ in range(10):
        services.report_job_start(
            kind=PARTICIPANTS_PROFILE, requested_by=admin_user, parameters={"rows": "region"}
        )
    few = queries_for(admin_client, url)
    for _ in range(40):
        services.report_job_start(
            kind=PARTICIPANTS_PROFILE, requested_by=admin_user, parameters={"rows": "region"}
        )
    assert queries_for(admin_client, url) == few
    assert b"Nuevo reporte" in admin_client.get(url).content


def test_reference_distribution_with_shares_and_report_action(
    admin_client, django_capture_on_commit_callbacks
):
    url = reverse("admin:engine_referencedistribution_add")
    data = {
        "name_es": "Residentes extranjeros",
        "source": "INE–SERMIG",
        "year": "2023",
        "attribute": "nationality",
        "excluded_categories": "CL",
        "shares-TOTAL_FORMS": "3",
        "shares-INITIAL_FORMS": "0",
        "shares-0-category": "VE",
        "shares-0-share": "60",
        "shares-1-category": "PE",
        "shares-1-share": "50",
        "shares-2-category": "XQ",
        "shares-2-share": "1",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200  # refused: sums over 100 and XQ is no country
    assert "no pueden pasar de 100" in response.content.decode()
    assert "no corresponde" in response.content.decode()
    data.update({"shares-1-share": "13.6", "shares-2-category": "*", "shares-2-share": "26.4"})
    assert admin_client.post(url, data).status_code == 302
    distribution = ReferenceDistribution.objects.get()
    assert distribution.shares.count() == 3

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:engine_referencedistribution_changelist"),
            {"action": "order_representativeness_report", "_selected_action": [distribution.pk]},
        )
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.parameters["distribution"] == distribution.pk


def test_run_again_action_needs_permission(client, staff_member, admin_user):
    job = services.report_job_start(
        kind=PARTICIPANTS_PROFILE, requested_by=admin_user, parameters={"rows": "region"}
    )
    enable_mfa(staff_member)
    grant(staff_member, "view_reportjob")
    client.force_login(staff_member)
    url = reverse("admin:engine_reportjob_changelist")
    client.post(url, {"action": "run_again", "_selected_action": [job.pk]})
    assert ReportJob.objects.count() == 1  # the action is not even offered without add permission
    grant(staff_member, "add_reportjob")
    response = client.post(url, {"action": "run_again", "_selected_action": [job.pk]}, follow=True)
    assert ReportJob.objects.count() == 2
    assert [str(message) for message in response.context["messages"]] == ["1 reporte en preparación."]
    assert ReportJob.objects.first().requested_by == staff_member


def test_retry_failed_notifications(admin_client, bob):
    notify(kind="generic", recipients=[bob], context={"title": "x"})
    Notification.objects.update(status=NotificationStatus.FAILED, attempts=8)
    response = admin_client.post(
        reverse("admin:engine_notification_changelist"),
        {"action": "retry_now", "_selected_action": list(Notification.objects.values_list("pk", flat=True))},
        follow=True,
    )
    notification = Notification.objects.get()
    assert notification.status == NotificationStatus.PENDING and notification.attempts == 0
    assert [str(message) for message in response.context["messages"]] == [
        "1 notificación volverá a enviarse."
    ]


def test_citizen_cannot_reach_engine_admin(client, bob):
    client.force_login(bob)
    response = client.get(reverse("admin:engine_reportjob_changelist"))
    assert response.status_code == 302


def test_reference_distribution_name_is_translatable():
    distribution = ReferenceDistributionFactory(name_ht="Moun etranje")
    assert distribution.name_ht == "Moun etranje"
