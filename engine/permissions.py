"""Who may order, see and download reports, and who may see raw counts: the engine's own predicates.

Staff rights need an activated second factor (``participants.permissions.staff_may``), so a report page
outside ``/admin/`` is as protected as the admin. A mechanism app names the extra permission its report
kind needs when it registers the kind (``engine.reports.register(..., permission=…)``).
"""

from __future__ import annotations

from engine.models import ReportJob, ReportJobQuerySet
from participants.permissions import is_verified_staff, staff_may

RAW_COUNTS_PERMISSION = "engine.view_raw_counts"
PUBLISH_PERMISSION = "engine.publish_reportjob"


def may_order_reports(user, *, permission: str | None = None) -> bool:
    """Verified staff who may order reports, and hold the kind's own ``permission`` when it names one."""
    return staff_may(user, "engine.add_reportjob") and (permission is None or user.has_perm(permission))


def may_see_raw_counts(user) -> bool:
    """Counts from 1 to k-1 unsuppressed: only in reports for staff with this permission, never on a page."""
    return user is not None and user.is_authenticated and user.has_perm(RAW_COUNTS_PERMISSION)


def report_jobs_visible_to(user) -> ReportJobQuerySet:
    """Staff with the view permission see every job; other staff only the ones they asked for."""
    jobs = ReportJobQuerySet(ReportJob)
    if not is_verified_staff(user):
        return jobs.none()
    if user.has_perm("engine.view_reportjob"):
        return jobs
    return jobs.filter(requested_by=user)


def may_download_report(user, job: ReportJob) -> bool:
    if not is_verified_staff(user):
        return False
    if job.requested_by_id != user.pk and not user.has_perm("engine.view_reportjob"):
        return False
    return not job.wants_raw_counts or may_see_raw_counts(user)


def may_publish_report(user, job: ReportJob, *, permission: str | None = None) -> bool:
    """Publishing puts a file on the public pages: verified staff who may publish reports and hold the kind's
    own ``permission`` (as for ordering). Raw counts are never public, whoever asks."""
    if job.wants_raw_counts or not staff_may(user, PUBLISH_PERMISSION):
        return False
    return permission is None or user.has_perm(permission)
