"""What every app's admin shares for content in three languages, and for plain refusals.

- ``LanguageLabelsMixin`` (already in ``TranslatedAdmin``, ``TranslatedStackedInline``,
  ``TranslatedTabularInline``): each translated field's label names its language ("Título (Creole
  haitiano)"), so the three boxes differ even where the language tabs cannot run.
- ``TranslatedAdmin``: modeltranslation's tabbed admin with those labels and a ``languages_missing`` column
  for ``list_display`` ("Falta: Creole haitiano, Inglés"), computed from the row's own columns.
- ``translation_gaps(obj, related=...)`` lists what has Spanish text and lacks another language, e.g. before
  publishing; ``untranslated_q(model, language)`` is the same rule as a filter, for annotations.
- ``PublishGapsFormMixin``: a change form that refuses to publish content with gaps until staff tick
  "publish anyway", and says which texts are missing.
- ``AccessibleTabularInline`` / ``LabelledTabularMixin``: tabular inlines whose controls carry their column's
  label as accessible name (Django's own leave them unnamed).
- ``AccessibleAdmin`` / ``NamedDateTimeMixin``: date and time boxes with a name each (Django's have none).
- ``number_column``: the row's number under a translated heading, instead of a raw "PK" column.

A mechanism app's admin subclasses these instead of modeltranslation's classes (docs/mechanism-app.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline, TranslationTabularInline
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

DEFAULT_LANGUAGE: str = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
OTHER_LANGUAGES: tuple[str, ...] = tuple(
    code for code in settings.MODELTRANSLATION_LANGUAGES if code != DEFAULT_LANGUAGE
)


def language_name(code: str) -> str:
    """The language's name in the language of the page ("Creole haitiano", "Haitian Creole")."""
    return str(dict(settings.LANGUAGES).get(code, code))


def translated_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The model's fields registered with modeltranslation, in the model's order (none when not registered)."""
    try:
        names = set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return ()
    return tuple(field.name for field in model._meta.fields if field.name in names)


def _empty(name: str) -> Q:
    return Q(**{name: ""}) | Q(**{f"{name}__isnull": True})


def untranslated_q(model: type[models.Model], language: str, prefix: str = "") -> Q:
    """Rows with a field written in Spanish and empty in ``language`` (``prefix`` for a related model)."""
    condition = Q(pk__in=[])
    for field in translated_fields(model):
        spanish = prefix + build_localized_fieldname(field, DEFAULT_LANGUAGE)
        other = prefix + build_localized_fieldname(field, language)
        condition |= ~_empty(spanish) & _empty(other)
    return condition


def missing_languages(obj: models.Model) -> list[str]:
    """The languages in which some field of ``obj`` written in Spanish is still empty (no query)."""
    fields = translated_fields(type(obj))
    return [
        language
        for language in OTHER_LANGUAGES
        if any(
            getattr(obj, build_localized_fieldname(f, DEFAULT_LANGUAGE))
            and not getattr(obj, build_localized_fieldname(f, language))
            for f in fields
        )
    ]


def translation_gaps(
    obj: models.Model,
    related: Iterable[tuple[QuerySet[Any], Callable[[int], str]]] = (),
    values: Mapping[str, Any] | None = None,
) -> dict[str, list[str]]:
    """What lacks each language: ``{"ht": ["resumen", "3 preguntas"], ...}`` (languages without gaps left
    out). ``related`` pairs querysets of content that belongs to ``obj`` (its questions, options…) with how to
    say a count of them (``lambda n: ngettext("%(n)d pregunta", "%(n)d preguntas", n) % {"n": n}``): one
    count query per queryset and language. ``values`` (a form's cleaned data) win over ``obj``'s own."""
    related = list(related)
    values = values or {}

    def value(field: str, language: str) -> Any:
        name = build_localized_fieldname(field, language)
        return values[name] if name in values else getattr(obj, name)

    gaps: dict[str, list[str]] = {}
    own = translated_fields(type(obj))
    for language in OTHER_LANGUAGES:
        missing = [
            str(cast(models.Field, obj._meta.get_field(f)).verbose_name)
            for f in own
            if value(f, DEFAULT_LANGUAGE) and not value(f, language)
        ]
        for queryset, say in related:
            count = queryset.filter(untranslated_q(queryset.model, language)).count()
            if count:
                missing.append(say(count))
        if missing:
            gaps[language] = missing
    return gaps


def describe_gaps(gaps: Mapping[str, Iterable[str]]) -> str:
    """One line per language: "Creole haitiano: resumen, 3 preguntas"."""
    return "; ".join(f"{language_name(code)}: {', '.join(items)}" for code, items in gaps.items())


class NamedDateTimeMixin:
    """Django's date and time boxes of a date-time field have no label of their own: each gets one
    ("Abre el: fecha"), for screen readers and axe-core. A link typed without its scheme
    ("www.gob.cl/...") is taken as https, Django 6's default."""

    def formfield_for_dbfield(self, db_field: models.Field, request: HttpRequest, **kwargs: Any):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")
        field = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        if isinstance(field, forms.SplitDateTimeField):
            widget = cast(forms.MultiWidget, getattr(field.widget, "widget", field.widget))
            for part, name in zip(
                widget.widgets, (_("%(field)s: fecha"), _("%(field)s: hora")), strict=False
            ):
                part.attrs["aria-label"] = name % {"field": capfirst(str(field.label))}
        return field


class LanguageLabelsMixin(NamedDateTimeMixin):
    """Each translated field's label ends with its language: "Título (Inglés)"."""

    def formfield_for_dbfield(self, db_field: models.Field, request: HttpRequest, **kwargs: Any):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        original = getattr(db_field, "translated_field", None)
        language = getattr(db_field, "language", None)
        if field is not None and original is not None and language:
            field.label = _("%(field)s (%(language)s)") % {
                "field": capfirst(original.verbose_name),
                "language": language_name(language),
            }
        return field


class AccessibleAdmin(NamedDateTimeMixin, admin.ModelAdmin):
    """A plain ModelAdmin (no translated fields) whose date-time boxes are named."""


class _LabelledWidgets:
    """Tabular inlines show a field's label once, in the column heading: each control gets it as its
    accessible name (axe-core ``label``)."""

    def add_fields(self, form: forms.BaseForm, index: int | None) -> None:
        super().add_fields(form, index)  # type: ignore[misc]
        for field in form.fields.values():
            if field.label and not field.widget.is_hidden:
                field.widget.attrs.setdefault("aria-label", str(field.label))


class LabelledTabularMixin:
    """For any tabular inline (Django's, modeltranslation's, nested-admin's): every control has a name."""

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any):
        formset = super().get_formset(request, obj, **kwargs)  # type: ignore[misc]
        return type(formset.__name__, (_LabelledWidgets, formset), {})


class AccessibleTabularInline(LabelledTabularMixin, NamedDateTimeMixin, admin.TabularInline):
    pass


class TranslatedAdmin(LanguageLabelsMixin, TabbedTranslationAdmin):
    """modeltranslation's tabbed admin, with language labels and a column of missing languages."""

    @admin.display(description=_("idiomas que faltan"))
    def languages_missing(self, obj: models.Model) -> str:
        missing = missing_languages(obj)
        return ", ".join(language_name(code) for code in missing) if missing else "—"


class TranslatedStackedInline(LanguageLabelsMixin, TranslationStackedInline):
    pass


class TranslatedTabularInline(LabelledTabularMixin, LanguageLabelsMixin, TranslationTabularInline):
    pass


class PublishGapsFormMixin(forms.ModelForm):
    """Publishing (``publish_field`` turning on) content with untranslated texts needs a second, explicit
    tick: the form says what is missing in which language. Subclasses return the gaps in ``publish_gaps``."""

    publish_field = "is_published"

    publish_anyway = forms.BooleanField(
        label=_("Publicar aunque falten traducciones"),
        required=False,
        help_text=_("Márquelo solo si las personas que leen en Creole haitiano o en inglés pueden esperar."),
    )

    def publish_gaps(self, cleaned: Mapping[str, Any]) -> dict[str, list[str]]:
        return translation_gaps(self.instance, values=cleaned)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        turning_on = cleaned.get(self.publish_field) and not self.initial.get(self.publish_field)
        if turning_on and not cleaned.get("publish_anyway"):
            gaps = self.publish_gaps(cleaned)
            if gaps:
                self.add_error(
                    self.publish_field,
                    gettext("Faltan textos por traducir (%(gaps)s). Tradúzcalos o marque «%(anyway)s».")
                    % {"gaps": describe_gaps(gaps), "anyway": self.fields["publish_anyway"].label},
                )
        return cleaned


def number_column(description: str | None = None):
    """A ``list_display`` entry for the row's number, under a translated heading (not a raw "PK")."""

    @admin.display(description=description or _("n.º"), ordering="pk")
    def number(obj: models.Model) -> str:
        return str(obj.pk)

    return number
