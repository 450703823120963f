"""``{{ value|data_value }}``: one value of "my data" as people read it, in the active language."""

from datetime import date, datetime

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def data_value(value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Sí") if value else _("No")
    if isinstance(value, datetime):
        return date_filter(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return date_filter(value, "DATE_FORMAT")
    if isinstance(value, list | tuple):
        return ", ".join(data_value(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {data_value(item)}" for key, item in value.items())
    return str(value)
