from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from engine.models import Frequency, Mechanism, ReportFormat

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ReportOptionsForm(forms.Form):
    """What every report kind shares: the file format and the language it is written in."""

    format = forms.ChoiceField(label=_("Formato"), choices=ReportFormat.choices, initial=ReportFormat.PDF)
    language = forms.ChoiceField(label=_("Idioma del reporte"), choices=settings.LANGUAGES)


class SubscriptionsForm(forms.Form):
    """ "Mis avisos": how often each mechanism, topic and followed item may write to the person."""

    def __init__(self, *args, topics, subscriptions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        current = {self.key_for(s): s.frequency for s in subscriptions}
        self.rows: list[tuple[str, str, object]] = []  # (group, field name, target)
        for mechanism in Mechanism:
            self._add("mechanisms", f"mechanism_{mechanism.value}", mechanism.label, mechanism.value, current)
        for topic in topics:
            self._add("topics", f"topic_{topic.pk}", topic.name, topic, current)
        for subscription in subscriptions:
            if subscription.content_type_id:
                target = subscription.target_object
                if target is not None:
                    self._add("items", f"object_{subscription.pk}", str(target), target, current)

    @staticmethod
    def key_for(subscription) -> str:
        if subscription.mechanism:
            return f"mechanism_{subscription.mechanism}"
        if subscription.topic_id:
            return f"topic_{subscription.topic_id}"
        return f"object_{subscription.pk}"

    def _add(self, group: str, name: str, label: StrOrPromise, target, current: dict) -> None:
        self.fields[name] = forms.ChoiceField(
            label=label, choices=Frequency.choices, initial=current.get(name, Frequency.OFF)
        )
        self.rows.append((group, name, target))

    def group(self, group: str) -> list:
        return [self[name] for row_group, name, _target in self.rows if row_group == group]

    def mechanisms(self) -> list:
        return self.group("mechanisms")

    def topics(self) -> list:
        return self.group("topics")

    def items(self) -> list:
        return self.group("items")

    def changes(self) -> list[tuple[object, str, bool]]:
        """(target, frequency, already followed) for every field whose value changed."""
        return [
            (target, self.cleaned_data[name], self.fields[name].initial != Frequency.OFF)
            for _group, name, target in self.rows
            if self.cleaned_data[name] != self.fields[name].initial
        ]
