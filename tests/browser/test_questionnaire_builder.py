"""Staff build a questionnaire in admin (issue 13, items 9–10), in a real browser under the CSP:

signs in with password and TOTP, creates a consultation in three languages, builds three sections covering the
six question types (each section with its questions and their options on one page, saved once), sets a
condition as "question → option" on an earlier question, reorders options by dragging, previews a section as
citizens see it, and publishes after the warning that some texts are not translated.

axe-core must find no serious or critical violation on any page visited, and no page may break the CSP.
"""

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from consultations.models import Consultation, Option, Question, QuestionKind
from participants.models import User
from tests.helpers import VIEWPORTS, enable_mfa, totp_code, verified

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "constructora@example.org"
PASSWORD = "Cuestionario-Claro-2026!"
# The CSP listener of tests/browser/test_csp.py: violations the page reports, before its own scripts run.
LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
"""
BUILDER_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("consultation", "section", "question", "option")
    for action in ("add", "change", "view")
]

# Three sections, the six question types, one condition (section 2 asks about a contract only of those who
# came for work, answered in section 1). Texts: (es, ht, en); options likewise.
SECTIONS = [
    (
        ("Su llegada", "Arive w", "Your arrival"),
        [
            (
                QuestionKind.SINGLE,
                ("¿Por qué vino a Chile?", "Poukisa ou vin Chili?", "Why did you come to Chile?"),
                [
                    ("Trabajo", "Travay", "Work"),
                    ("Familia", "Fanmi", "Family"),
                    ("Estudios", "Etid", "Study"),
                ],
            ),
            (
                QuestionKind.MULTIPLE,
                ("¿Dónde se informa?", "Ki kote w jwenn enfòmasyon?", "Where do you get information?"),
                [("Radio", "Radyo", "Radio"), ("Internet", "Entènèt", "Internet")],
            ),
        ],
    ),
    (
        ("Trabajo y trámites", "Travay ak demach", "Work and paperwork"),
        [
            (
                QuestionKind.SCALE,
                ("Tengo contrato de trabajo", "Mwen gen kontra travay", "I have a work contract"),
                [("De acuerdo", "Dakò", "Agree"), ("En desacuerdo", "Pa dakò", "Disagree")],
            ),
            (
                QuestionKind.RANKING,
                ("Ordene las prioridades", "Mete priyorite yo an lòd", "Rank the priorities"),
                [("Vivienda", "Lojman", "Housing"), ("Salud", "Sante", "Health"), ("Empleo", "Travay", "")],
            ),
        ],
    ),
    (
        ("Sus ideas", "Ide ou yo", "Your ideas"),
        [
            (QuestionKind.SHORT_TEXT, ("Una idea", "Yon ide", "One idea"), []),
            (QuestionKind.LONG_TEXT, ("¿Algo más?", "Èske gen lòt bagay?", "Anything else?"), []),
        ],
    ),
]
LANGUAGES = ("es", "ht", "en")


def make_staff() -> User:
    user = User.objects.create_user(email=EMAIL, password=PASSWORD, is_staff=True, name="Rosa Pérez")
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="consultations", codename__in=BUILDER_PERMISSIONS)
    )
    return enable_mfa(verified(user))


@pytest.fixture
def staff_page(live_server, new_context: Callable[..., BrowserContext]) -> Page:
    make_staff()
    context = new_context(viewport=VIEWPORTS["desktop"], locale="es-CL")
    context.add_init_script(LISTEN)
    return context.new_page()


@pytest.fixture
def check(assert_accessible) -> Callable[[Page], None]:
    """Every page of the journey: no CSP violation and axe-core clean."""

    def run(page: Page) -> None:
        assert page.evaluate("window.__csp") == [], page.url
        assert_accessible(page)
        # axe-core's own probes add <style> elements the policy refuses: not the page's doing.
        page.evaluate("window.__csp = []")

    return run


def fill_translated(page: Page, field_id: str, texts: tuple[str, str, str]) -> None:
    """A translated field as staff fill it: each language's tab, then its box."""
    for language, text in zip(LANGUAGES, texts, strict=True):
        page.locator(f'li[aria-controls="tab_{field_id}_{language}"]').click()
        page.locator(f"#{field_id}_{language}").fill(text)


def save(page: Page, name: str = "_save") -> None:
    page.locator(f'input[type="submit"][name="{name}"]').click()


def build_section(page: Page, check, number: int, title, questions, condition: Option | None) -> None:
    """One section on one page: its title, questions and options, then a single save."""
    expect(page.locator("#id_consultation")).not_to_have_value("")
    expect(page.locator("#id_order")).to_have_value(str(number))
    fill_translated(page, "id_title", title)
    for index, (kind, text, options) in enumerate(questions):
        page.locator("#questions-group a.djn-add-handler.djn-model-consultations-question").last.click()
        prefix = f"id_questions-{index}"
        page.locator(f"#{prefix}-kind").select_option(kind)
        page.locator(f"#{prefix}-required").check()
        fill_translated(page, f"{prefix}-text", text)
        for position, option in enumerate(options):
            page.locator(f"#questions-{index}-options-group a.djn-add-handler").last.click()
            for language, value in zip(LANGUAGES, option, strict=True):
                page.locator(f"#{prefix}-options-{position}-text_{language}").fill(value)
    if condition is not None:
        select = page.locator("#id_questions-0-depends_on_option")
        # Offered as "question → option", only from earlier questions.
        expect(select.locator(f'option[value="{condition.pk}"]')).to_have_text(
            f"{condition.question.text} → {condition.text}"
        )
        select.select_option(str(condition.pk))
    check(page)
    save(page)


def test_staff_build_a_three_section_questionnaire_and_publish_it(live_server, staff_page: Page, check):
    page = staff_page
    base = live_server.url

    # Sign in with password, then the authenticator's code.
    page.goto(f"{base}/cuenta/login/?next=/admin/")
    page.locator('input[name="login"]').fill(EMAIL)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('main form button[type="submit"]').first.click()
    expect(page).to_have_url(re.compile(r"/cuenta/2fa/authenticate/"))
    check(page)
    page.locator('input[name="code"]').fill(totp_code())
    page.locator('main form button[type="submit"]').first.click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    check(page)

    # The consultation, in three languages.
    page.goto(f"{base}/admin/consultations/consultation/add/")
    fill_translated(
        page, "id_title", ("Consulta sobre trabajo", "Konsiltasyon sou travay", "Consultation on work")
    )
    expect(page.locator("#id_slug")).to_have_value("consulta-sobre-trabajo")
    fill_translated(
        page, "id_summary", ("Queremos su opinión.", "Nou vle konnen sa w panse.", "We want your view.")
    )
    now = timezone.localtime()
    for field, days in (("announced_at", -1), ("opens_at", 1), ("closes_at", 30)):
        page.locator(f"#id_{field}_0").fill((now + timedelta(days=days)).strftime("%Y-%m-%d"))
        page.locator(f"#id_{field}_1").fill("09:00:00")
    check(page)
    save(page, "_continue")
    consultation = Consultation.objects.get(slug="consulta-sobre-trabajo")
    change_url = f"{base}/admin/consultations/consultation/{consultation.pk}/change/"
    expect(page).to_have_url(change_url)
    check(page)

    # Three sections, each built and saved on one page; saving leads back to the consultation.
    for number, (title, questions) in enumerate(SECTIONS, start=1):
        page.locator("a.addlink", has_text=re.compile("sección")).click()
        expect(page).to_have_url(re.compile(r"/admin/consultations/section/add/\?consultation=\d+$"))
        condition = Option.objects.get(text_es="Trabajo") if number == 2 else None
        build_section(page, check, number, title, questions, condition)
        expect(page).to_have_url(change_url)
        expect(page.locator(".messagelist .success")).to_be_visible()

    sections = list(consultation.sections.order_by("order"))
    assert [s.title_ht for s in sections] == [title[1] for title, _questions in SECTIONS]
    questions = list(
        Question.objects.filter(section__consultation=consultation).order_by("section__order", "order")
    )
    assert [q.kind for q in questions] == [kind for _t, qs in SECTIONS for kind, _text, _o in qs]
    assert len({q.kind for q in questions}) == 6
    contract = questions[2]
    assert contract.depends_on_option == Option.objects.get(text_es="Trabajo")
    assert [o.text_ht for o in questions[0].options.all()] == ["Travay", "Fanmi", "Etid"]

    # Reorder: drag "Estudios" to the top of its question's options, and save.
    page.goto(f"{base}/admin/consultations/section/{sections[0].pk}/change/")
    handles = page.locator("#questions-0-options-group .djn-drag-handler")
    handles.first.scroll_into_view_if_needed()
    source, target = handles.nth(2).bounding_box(), handles.nth(0).bounding_box()
    page.mouse.move(source["x"] + 5, source["y"] + 5)
    page.mouse.down()
    for step in range(1, 21):
        page.mouse.move(source["x"] + 5, source["y"] + 5 + (target["y"] - source["y"] - 10) * step / 20)
    page.mouse.up()
    check(page)
    save(page, "_continue")
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert [o.text_es for o in questions[0].options.all()] == ["Estudios", "Trabajo", "Familia"]

    # Preview the section as citizens will see it.
    preview = page.locator("a", has_text=re.compile("como la ciudadanía"))
    expect(preview).to_have_attribute("href", re.compile(r"/responder/1/\?vista_previa=1$"))
    page.goto(f"{base}/consultas/{consultation.slug}/responder/1/?vista_previa=1")
    expect(page.locator("main")).to_contain_text("¿Por qué vino a Chile?")
    check(page)

    # Publish: one option has no English text, so admin asks first.
    page.goto(f"{base}/admin/consultations/consultation/")
    expect(page.locator("#result_list")).to_contain_text("Inglés")
    check(page)
    page.locator(f'input.action-select[value="{consultation.pk}"]').check()
    page.locator('select[name="action"]').select_option("publish")
    page.locator('button[name="index"]').click()
    expect(page.locator("#content")).to_contain_text("Inglés: 1 opción")
    check(page)
    consultation.refresh_from_db()
    assert not consultation.is_published
    page.locator('input[type="submit"]').click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    check(page)
    consultation.refresh_from_db()
    assert consultation.is_published
