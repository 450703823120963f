"""Publish a suppressed table, chart or representativeness comparison in any template with one tag:

    {% load engine_reports %}
    {% report_figure table %}   chart and table together
    {% report_table table %}    {% report_chart table %}    {% report_representativeness item %}

Styles: ``<link rel="stylesheet" href="{% static 'engine/reports.css' %}">`` in the page's head block.
``table`` must be a PublishedTable (engine.reports.publish): a CountTable is refused, so raw counts cannot
reach a page by mistake.
"""

from django import template

from engine.reports.charts import bar_chart
from engine.reports.tables import PublishedTable

register = template.Library()


def _published(table) -> PublishedTable:
    if not isinstance(table, PublishedTable):
        raise TypeError(
            "Templates only receive published tables: pass the table through engine.reports.publish"
        )
    return table


@register.inclusion_tag("engine/_figure.html")
def report_figure(table: PublishedTable, chart: bool = True) -> dict:
    table = _published(table)
    return {"table": table, "chart": bar_chart(table) if chart else None}


@register.inclusion_tag("engine/_table.html")
def report_table(table: PublishedTable) -> dict:
    return {"table": _published(table)}


@register.inclusion_tag("engine/_chart.html")
def report_chart(table: PublishedTable) -> dict:
    return {"chart": bar_chart(_published(table))}


@register.inclusion_tag("engine/_representativeness.html")
def report_representativeness(item) -> dict:
    return {"item": item}
