"""Report kinds: a mechanism app registers its builder once, and staff can then order that report.

    from engine import reports
    reports.register("consultation-results", build_results, title=_("Resultados de una consulta"),
                     form_class=ResultsParametersForm)

A builder is ``builder(*, parameters: dict, progress: Callable[[int], None], user) -> ReportDocument``; it
reads with selectors, publishes every table through ``engine.reports.publish`` and calls ``progress(0..100)``
as it goes. ``user`` is whoever ordered the report (for raw counts, only with ``engine.view_raw_counts``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django import forms
from django.utils.functional import Promise

if TYPE_CHECKING:
    from engine.reports.document import ReportDocument

Builder = Callable[..., "ReportDocument"]


class ReportParametersForm(forms.Form):
    """Base for a kind's parameter form: ``cleaned_data`` (JSON-serialisable) becomes ``parameters``."""

    def __init__(self, *args, user=None, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def parameters(self) -> dict:
        return dict(self.cleaned_data)


@dataclass(frozen=True)
class ReportKind:
    slug: str
    title: str | Promise
    builder: Builder
    form_class: type[ReportParametersForm] = ReportParametersForm
    # Extra permission (besides engine.add_reportjob) needed to order this kind, e.g. "consultations.view_response".
    permission: str | None = None


_KINDS: dict[str, ReportKind] = {}


def register(
    slug: str,
    builder: Builder,
    *,
    title: str | Promise,
    form_class: type[ReportParametersForm] = ReportParametersForm,
    permission: str | None = None,
) -> ReportKind:
    """Register (or replace, so reloading an app is harmless) the builder of one report kind."""
    if not slug or len(slug) > 64:
        raise ValueError("A report kind needs a slug of at most 64 characters")
    kind = ReportKind(slug=slug, title=title, builder=builder, form_class=form_class, permission=permission)
    _KINDS[slug] = kind
    return kind


def unregister(slug: str) -> None:
    _KINDS.pop(slug, None)


def get_kind(slug: str) -> ReportKind | None:
    return _KINDS.get(slug)


def all_kinds() -> list[ReportKind]:
    return sorted(_KINDS.values(), key=lambda kind: str(kind.title))
