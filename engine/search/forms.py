"""The search page's GET form. It is always valid: a reader's query is cleaned, never refused."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import cast

from django import forms
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from engine.models import Mechanism
from engine.search.registry import providers
from engine.search.text import clean

MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 200
_SPACES = re.compile(r"\s+")


def cut_query(text: str) -> tuple[str, bool]:
    """The query as searched: control characters and runs of spaces made one space, at most
    ``MAX_QUERY_LENGTH`` characters; and whether it had to be cut."""
    query = _SPACES.sub(" ", clean(text)).strip()
    if len(query) > MAX_QUERY_LENGTH:
        return query[:MAX_QUERY_LENGTH].rstrip(), True
    return query, False


@lru_cache(maxsize=16)
def _kinds(language: str, registered: tuple) -> list[tuple[str, str]]:
    """The registered types, by label in the reader's language (sorted once per language and registry)."""
    return sorted(((p.kind, str(p.label)) for p in registered), key=lambda choice: choice[1])


class LenientChoiceField(forms.ChoiceField):
    """An unknown value (an old link, a typo, a probe) means "all": ignored, never an error."""

    def clean(self, value) -> str:
        value = self.to_python(value)
        return value if value and self.valid_value(value) else ""


class QueryField(forms.CharField):
    """Control characters (NUL among them, which PostgreSQL refuses) become spaces before any check."""

    def to_python(self, value) -> str:
        return clean(super().to_python(value) or "")


class SearchForm(forms.Form):
    q = QueryField(
        label=_("Buscar"),
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"type": "search", "maxlength": MAX_QUERY_LENGTH}),
    )
    mecanismo = LenientChoiceField(label=_("Mecanismo"), required=False)
    tipo = LenientChoiceField(label=_("Tipo de contenido"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.truncated = False
        cast(forms.ChoiceField, self.fields["mecanismo"]).choices = [("", _("Todos")), *Mechanism.choices]
        cast(forms.ChoiceField, self.fields["tipo"]).choices = [
            ("", _("Todos")),
            *_kinds(get_language(), tuple(providers())),
        ]

    def clean_q(self) -> str:
        query, self.truncated = cut_query(self.cleaned_data["q"])
        return query

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        # The page shows what was searched for (the query cut to its length, unknown filters as "all").
        # Only the form's own fields: the page cache keys a page on the parameters it read.
        data = QueryDict(mutable=True)
        sent = cast(QueryDict, self.data)
        for name in self.fields:
            if name in sent:
                data.setlist(name, sent.getlist(name))
        for name, value in cleaned.items():
            data[name] = value
        self.data = data
        return cleaned

    def params(self) -> dict[str, str]:
        """The cleaned values that are set, for links to other pages of the results."""
        return {name: value for name, value in self.cleaned_data.items() if value}
