"""Reports: what mechanism apps call.

    from engine import reports

    table = reports.publish(reports.disaggregate(Response.objects.filter(consultation=c),
                                                 rows="gender_identity", columns="region", distinct=True))
    # template: {% load engine_reports %}{% report_figure table %}
    reports.register("consultation-results", build_results, title=_("Resultados de una consulta"))
    # public downloads: only what staff published, the reader's language first
    reports.published_report_files("consultation-results", language="ht", consultation=c.pk)

Everything shown or exported goes through ``publish`` (small-cell suppression); templates and renderers
refuse anything else.
"""

from engine.reports.document import ReportDocument, ReportSection
from engine.reports.registry import ReportParametersForm, all_kinds, get_kind, register, unregister
from engine.reports.selectors import (
    PublishedReportFile,
    disaggregate,
    publish_disaggregation,
    published_report_files,
    published_report_job,
    representativeness,
)
from engine.reports.suppression import publish, suppression_pattern
from engine.reports.tables import Category, CountTable, PublishedTable

__all__ = [
    "Category",
    "CountTable",
    "PublishedReportFile",
    "PublishedTable",
    "ReportDocument",
    "ReportParametersForm",
    "ReportSection",
    "all_kinds",
    "disaggregate",
    "get_kind",
    "publish",
    "publish_disaggregation",
    "published_report_files",
    "published_report_job",
    "register",
    "representativeness",
    "suppression_pattern",
    "unregister",
]
