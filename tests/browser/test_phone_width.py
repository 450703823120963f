"""Every public page on a 360 px phone, in Spanish, Kreyòl and English: nothing wider than the screen (tables
scroll inside their own box), the page's heading on the first screen, charts with text of 12 px or more, no
serious or critical axe-core violation and no Content-Security-Policy violation."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, expect

from consultations.answers import AnswerValue
from engine.models import Page, ReferenceDistribution, ReferenceShare
from tests.consultations.factories import (
    ConsultationFactory,
    ConsultationPlanFactory,
    OptionFactory,
    ProposalCallFactory,
    QuestionFactory,
    SectionFactory,
    build_questionnaire,
    submitted_response,
)
from tests.helpers import (
    BLOCKING_IMPACTS,
    LISTEN_FOR_CSP_VIOLATIONS,
    VIEWPORTS,
    assert_no_csp_violations,
    format_violations,
    publish_report,
    smallest_chart_text,
)

PREFIXES = {"es": "", "ht": "/ht", "en": "/en"}
WIDE_TABLE_SCROLLS_INSIDE = (
    "[...document.querySelectorAll('.report-figure__table')].some(box => box.scrollWidth > box.clientWidth)"
)
LONG_OPTION = "Información y atención en creole haitiano en todas las oficinas regionales del servicio"


def portal_pages() -> None:
    """The footer's pages (the migration seeds them; transactional tests empty every table)."""
    for slug, title in (
        (Page.PRIVACY, "Privacidad"),
        (Page.ACCESSIBILITY, "Accesibilidad"),
        (Page.CONTACT, "Contacto"),
    ):
        Page.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "title_es": title,
                "summary_es": "Resumen.",
                "body_es": "<p>Texto.</p>",
            },
        )


def results_with_wide_tables(admin):
    """Closed with results: 24 answers over five long options, three channels, a reference distribution."""
    consultation = ConsultationFactory(with_results=True, slug="resultados-telefono")
    question = QuestionFactory(
        section=SectionFactory(consultation=consultation), kind="single", required=True
    )
    options = [
        OptionFactory(question=question, text=f"{LONG_OPTION} {n}", text_es=f"{LONG_OPTION} {n}")
        for n in range(5)
    ]
    for n in range(24):
        submitted_response(
            consultation,
            {question: AnswerValue(option_ids=[options[n % 5].pk])},
            nationality=["VE", "HT", "PE"][n % 3],
            gender_identity="woman" if n % 2 else "man",
        )
    distribution = ReferenceDistribution.objects.create(
        name="Residentes extranjeros",
        name_es="Residentes extranjeros",
        source="INE",
        year=2023,
        attribute="nationality",
    )
    for category, share in (("VE", 38), ("HT", 10), ("PE", 14), ("BO", 9), ("*", 29)):
        ReferenceShare.objects.create(distribution=distribution, category=category, share=share)
    publish_report(consultation, "csv", by=admin)
    return consultation


@pytest.fixture
def public_paths(db, admin_user) -> list[str]:
    portal_pages()
    open_one = build_questionnaire(ConsultationFactory(slug="abierta-telefono")).consultation
    results = results_with_wide_tables(admin_user)
    plan = ConsultationPlanFactory(year=timezone.now().year)
    call = ProposalCallFactory(plan=plan, closes_at=timezone.now() + timedelta(days=5))
    return [
        "/",
        "/informacion/",
        "/cosoc/",
        "/cuenta-publica/",
        "/consultas/",
        f"/consultas/{open_one.slug}/",
        f"/consultas/{results.slug}/",
        f"/consultas/{results.slug}/resultados/",
        f"/consultas/plan/{plan.year}/",
        f"/consultas/propuestas/{call.pk}/",
        "/cuenta/login/",
        "/cuenta/signup/",
        "/cuenta/password/reset/",
        "/paginas/privacidad/",
        "/paginas/accesibilidad/",
        "/paginas/contacto/",
    ]


@pytest.mark.parametrize("language", list(PREFIXES))
def test_every_public_page_fits_a_phone(
    live_server, new_context: Callable[..., BrowserContext], axe, public_paths, language
):
    context = new_context(
        viewport=VIEWPORTS["phone"], locale={"es": "es-CL", "ht": "ht", "en": "en-US"}[language]
    )
    context.add_init_script(LISTEN_FOR_CSP_VIOLATIONS)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    problems = []
    for path in public_paths:
        url = f"{live_server.url}{PREFIXES[language]}{path}"
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        expect(page.locator("html")).to_have_attribute("lang", language)
        width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width > viewport:
            problems.append(f"{url}: {width} px wide on a {viewport} px screen")
        heading = page.get_by_role("heading", level=1).first.bounding_box()
        if heading is None or heading["y"] + heading["height"] > VIEWPORTS["phone"]["height"]:
            problems.append(f"{url}: the heading is not on the first screen ({heading})")
        if smallest_chart_text(page) < 12:
            problems.append(f"{url}: chart text of {smallest_chart_text(page):.1f} px")
        if path.endswith("/resultados/"):
            # The wide tables are really there, scrolling inside their own box instead of the page.
            assert page.locator("svg.report-chart").count() >= 2
            assert page.evaluate(WIDE_TABLE_SCROLLS_INSIDE), url
        blocking = [v for v in axe.run(page).response["violations"] if v["impact"] in BLOCKING_IMPACTS]
        if blocking:
            problems.append(f"{url}:\n{format_violations(blocking)}")
        assert_no_csp_violations(page, console)
    assert problems == []
