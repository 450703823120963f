"""``{{ widget|select_options }}``: a select's ``<option>`` elements, written in Python.

Django's ``select.html`` includes ``select_option.html`` and ``attrs.html`` for every option: the country
lists of the participant form (about 250 options each) cost ~40 ms a page that way, most of a profile page or a
questionnaire's profile step. This writes the same markup (the same escaping, the same boolean attributes as
``django.forms.utils.flatatt``) at a few microseconds an option; an option with a template of its own is still
rendered by that template. ``templates/django/forms/widgets/select.html`` uses it (``FORM_RENDERER`` is
``TemplatesSetting``, so the project's templates override Django's form templates).
"""

from __future__ import annotations

from django import template
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

DEFAULT_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _option(option: dict) -> str:
    if option.get("template_name", DEFAULT_OPTION_TEMPLATE) != DEFAULT_OPTION_TEMPLATE:
        return render_to_string(option["template_name"], {"widget": option})
    attrs = flatatt(option["attrs"]) if option["attrs"] else ""
    # select_option.html ends with a new line.
    return (
        f'<option value="{escape(option["value"])}"{attrs}>{conditional_escape(option["label"])}</option>\n'
    )


@register.filter
def select_options(widget: dict) -> SafeString:
    parts: list[str] = []
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        parts.extend("\n  " + _option(option) for option in group_choices)
        if group_name:
            parts.append("\n  </optgroup>")
    return mark_safe("".join(parts))  # noqa: S308  (every value went through format_html)
