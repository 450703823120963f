"""Search providers: each mechanism app says which of its objects are public and what a reader finds of them.

    class ConsultationSearch(search.Provider):
        model = Consultation
        mechanism = Mechanism.CONSULTATIONS
        kind = "consultation"
        label = _("Consulta ciudadana")
        summary_field = "summary"  # title_field is "title"; url() is get_absolute_url() by default

        def queryset(self):
            return Consultation.objects.published()  # the app's own visibility rule

        def body(self, obj):  # read inside translation.override(language), as every text
            return obj.rationale

    search.register(ConsultationSearch())

The index is keyed by the content type of ``model`` (a proxy model gives a page of its own, e.g. a
consultation's results page beside the consultation), object id and language.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import translation
from django.utils.functional import Promise

from engine.models import Mechanism


@dataclass(frozen=True)
class Document:
    """What the index keeps of one object in one language."""

    language: str
    title: str
    summary: str
    body: str
    url: str


class Provider:
    """Base class of a mechanism's provider; one registered instance per kind of public object."""

    model: type[models.Model]
    mechanism: str  # an engine.models.Mechanism value
    kind: str  # the type filter's value, unique across providers (e.g. "consultation")
    label: str | Promise  # the type as readers see it (e.g. _("Consulta ciudadana"))

    def queryset(self) -> models.QuerySet:
        """Every PUBLIC object of ``model``, by the app's own visibility rule. Nothing else is ever indexed."""
        raise NotImplementedError

    # The texts are read inside translation.override(language): modeltranslation gives that language's text or
    # the Spanish one. Name the attributes, or override the methods when a text is put together.
    title_field: str = "title"
    summary_field: str = ""

    def title(self, obj: models.Model) -> str:
        return getattr(obj, self.title_field)

    def summary(self, obj: models.Model) -> str:
        return getattr(obj, self.summary_field) if self.summary_field else ""

    def body(self, obj: models.Model) -> str:
        return ""

    def url(self, obj: models.Model) -> str:
        """The object's page in the active language (``reverse`` adds the language's prefix)."""
        return obj.get_absolute_url()  # type: ignore[attr-defined]  # every searchable model has one

    def documents(self, obj: models.Model) -> Iterator[Document]:
        """One document per language, each read with that language active (modeltranslation's fallback is
        Spanish, and ``reverse`` gives the language's prefix)."""
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                yield Document(
                    language=language,
                    title=str(self.title(obj)),
                    summary=str(self.summary(obj)),
                    body=str(self.body(obj)),
                    url=self.url(obj),
                )

    def affected(self, obj: models.Model) -> Iterable[int] | None:
        """Primary keys of ``model`` whose documents a change to ``obj`` may alter; None when unconcerned.

        By default an object of ``model`` (or of its concrete model, for a proxy) concerns itself only;
        override it when a document reads another model (a response's page shows its commitments).
        """
        concrete = self.model._meta.concrete_model
        if concrete is not None and isinstance(obj, concrete):
            return [obj.pk]
        return None

    @property
    def content_type(self) -> ContentType:
        # for_concrete_model=False: a proxy model has a content type of its own.
        return ContentType.objects.get_for_model(self.model, for_concrete_model=False)


_PROVIDERS: dict[str, Provider] = {}


def register(provider: Provider) -> Provider:
    """Register (or replace, so reloading an app is harmless) a provider, at start-up (AppConfig.ready)."""
    if not getattr(provider, "kind", "") or len(provider.kind) > 64:
        raise ValueError("A search provider needs a kind of at most 64 characters")
    if getattr(provider, "mechanism", None) not in Mechanism.values:
        raise ValueError(f"A search provider's mechanism must be one of {Mechanism.values}")
    _PROVIDERS[provider.kind] = provider
    return provider


def unregister(kind: str) -> None:
    _PROVIDERS.pop(kind, None)


def providers() -> list[Provider]:
    return list(_PROVIDERS.values())


def get_provider(kind: str) -> Provider | None:
    return _PROVIDERS.get(kind)
