"""HTML to PDF with WeasyPrint, the one way the portal makes PDFs (reports, "my data").

Every PDF is tagged (a structure tree screen readers follow) and declared PDF/UA-1 where the installed
WeasyPrint knows the variant, and it loads nothing from anywhere: the HTML must be self-contained, so text
that people wrote can never make the server fetch a URL.
"""

from __future__ import annotations

ACCESSIBLE_VARIANT = "pdf/ua-1"


def _no_fetching(url: str, *args, **kwargs):
    raise ValueError(f"Portal PDFs load no external resources ({url[:40]})")


def pdf_options(variants) -> dict:
    """Tagged PDF, and PDF/UA-1 when this WeasyPrint supports it (70 and later do)."""
    options: dict = {"pdf_tags": True}
    if ACCESSIBLE_VARIANT in variants:
        options["pdf_variant"] = ACCESSIBLE_VARIANT
    return options


def html_to_pdf(html: str) -> bytes:
    # Heavy: WeasyPrint (with its font and layout stack) adds 0.4-1.0 s and ~22 MB to every process that
    # imports it (engine.reports.renderers, and so django.setup(), imports this module).
    from weasyprint import HTML  # noqa: PLC0415  (heavy: loaded on the first PDF)
    from weasyprint.pdf import VARIANTS  # noqa: PLC0415  (heavy: loaded on the first PDF)

    return HTML(string=html, url_fetcher=_no_fetching).write_pdf(**pdf_options(VARIANTS))
