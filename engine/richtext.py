"""Rich text staff write in admin (publications, public-account sections, …): one editor, one safe subset.

    from engine.richtext import RichTextField
    body = RichTextField(_("texto"), blank=True)      # model field: ProseMirror editor in admin, nh3 on save

    {% load engine_richtext %}{{ publication.body|rich_text }}   # cleaned again on display

The same allow-list serves both ends: what reaches the database by another road (a shell, a migration, a
fixture) is cleaned when shown, so no `|safe` ever trusts stored HTML.
"""

from __future__ import annotations

from typing import Any

import nh3
from django_prose_editor.fields import ProseEditorField

TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "u", "s", "sub", "sup", "blockquote",
    "ul", "ol", "li", "a", "hr", "table", "thead", "tbody", "tr", "th", "td", "caption",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# The editor's buttons: what the allow-list keeps, nothing the sanitiser would strip after a save.
EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
}


def clean_html(html: str | None) -> str:
    """Only the tags above; links get rel="noopener noreferrer"; script, styles, event handlers and other
    schemes (javascript:, data:) are removed with their content where they carry code."""
    return nh3.clean(
        html or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


class RichTextField(ProseEditorField):
    """A text field edited with the maintained ProseMirror editor and cleaned with `clean_html` when a form saves
    it (admin). Migrations see a plain TextField (the package's own deconstruct)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("extensions", EXTENSIONS)
        kwargs["sanitize"] = clean_html
        super().__init__(*args, **kwargs)
