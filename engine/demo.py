"""Demo data for the engine: the demo citizen's subscriptions, a reference distribution and a finished report."""

from decimal import Decimal

from django.db.models import Q

from engine.models import (
    Frequency,
    Mechanism,
    ReferenceDistribution,
    ReportFormat,
    ReportJob,
    ReportStatus,
    Topic,
)
from engine.notifications.services import subscription_set
from engine.reports.builtin import PARTICIPANTS_PROFILE
from engine.reports.services import report_job_build, report_job_start
from participants.demo import DEMO_CITIZEN_EMAIL, DEMO_STAFF_EMAIL
from participants.models import User

# INE–SERMIG estimate of foreign residents in Chile, 31 Dec 2023 (DESIGN.md §1).
NATIONALITY_2023 = [
    ("VE", "38.0"),
    ("PE", "13.6"),
    ("CO", "10.9"),
    ("HT", "9.8"),
    ("BO", "9.4"),
    ("*", "18.3"),
]
DISTRIBUTION_NAME = "Personas extranjeras residentes en Chile por nacionalidad"


def load(stdout) -> None:
    citizen = User.objects.filter(email=DEMO_CITIZEN_EMAIL).first()
    if citizen is not None:
        subscription_set(user=citizen, target=Mechanism.CONSULTATIONS, frequency=Frequency.IMMEDIATELY)
        for slug in ("regularizacion", "integracion-inclusion"):
            topic = Topic.objects.filter(slug=slug).first()
            if topic is not None:
                subscription_set(user=citizen, target=topic, frequency=Frequency.WEEKLY)
        stdout.write("Demo citizen follows consultations (immediately) and two topics (weekly digest)")

    distribution, _created = ReferenceDistribution.objects.get_or_create(
        name_es=DISTRIBUTION_NAME,
        year=2023,
        defaults={
            "name": DISTRIBUTION_NAME,
            "name_ht": "Moun etranje ki abite Chili dapre nasyonalite",
            "name_en": "Foreign residents in Chile by nationality",
            "source": "INE–SERMIG, estimación de personas extranjeras residentes al 31-12-2023",
            "attribute": "nationality",
            "excluded_categories": "CL",
        },
    )
    for category, share in NATIONALITY_2023:
        distribution.shares.get_or_create(category=category, defaults={"share": Decimal(share)})

    staff = User.objects.filter(email=DEMO_STAFF_EMAIL).first()
    demo_report = Q(kind=PARTICIPANTS_PROFILE, parameters__demo=True)
    if staff is not None and not ReportJob.objects.filter(demo_report, status=ReportStatus.DONE).exists():
        ReportJob.objects.filter(demo_report).delete()
        job = report_job_start(
            kind=PARTICIPANTS_PROFILE,
            requested_by=staff,
            parameters={
                "rows": "nationality",
                "columns": "gender_identity",
                "distribution": distribution.pk,
                "demo": True,
            },
            format=ReportFormat.PDF,
            language="es",
            enqueue_build=False,
        )
        report_job_build(job_id=job.pk, notify_requester=False)
        stdout.write(f"Demo participants-profile report built (job #{job.pk})")
