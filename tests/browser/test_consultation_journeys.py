"""Consultations in a real browser: answering in Kreyòl on a phone, per-field errors, a dialogue in admin.

1. A verified citizen answers an open three-section questionnaire in Kreyòl at 360 px: saves a draft,
   leaves, resumes, meets a conditional question and a ranking question, reviews and submits.
2. Pressing "next" without a required answer shows an error summary linked to each question.
3. Staff record an in-person dialogue in Django admin; the public results page merges its counts with
   the online answers.

axe-core must find no serious or critical violation on every public page visited. Translated UI text is
not asserted (translations change independently): URLs, ids, names, counts, ``<html lang>`` and the
consultation's own content (which the test writes in Kreyòl) are.
"""

import re
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from consultations import services
from consultations.answers import AnswerValue
from consultations.models import (
    Answer,
    Channel,
    Consultation,
    Dialogue,
    DialogueAttendance,
    DialogueOptionCount,
    Modality,
    Option,
    Question,
    QuestionKind,
    Response,
    Section,
)
from participants.models import Participant, User
from tests.helpers import BLOCKING_IMPACTS, VIEWPORTS, enable_mfa, format_violations, smallest_chart_text

PREFIX = "/ht"
LOGIN = f"{PREFIX}/cuenta/login/"
CITIZEN_EMAIL = "marie.joseph@example.org"
CITIZEN_PASSWORD = "Konsiltasyon-Lakay-2026!"


# --- Helpers ------------------------------------------------------------------------------------------


def tr(field: str, es: str, ht: str) -> dict:
    """A content field in Spanish and Kreyòl (django-modeltranslation columns)."""
    return {field: es, f"{field}_es": es, f"{field}_ht": ht}


def url_re(live_server, path: str, query: str = "") -> re.Pattern:
    """The exact page ``path`` on the live server (``path`` is escaped; ``query`` is a regex)."""
    return re.compile("^" + re.escape(live_server.url + path) + query + "$")


def consultation_path(consultation: Consultation, suffix: str = "", prefix: str = PREFIX) -> str:
    return f"{prefix}/consultas/{consultation.slug}/{suffix}"


def step_path(consultation: Consultation, step: int) -> str:
    return consultation_path(consultation, f"responder/{step}/")


def question_box(page: Page, question: Question):
    return page.locator(f"fieldset#pregunta-{question.pk}")


def option_input(page: Page, question: Question, option: Option):
    return question_box(page, question).locator(f'input[value="{option.pk}"]')


def rank_select(page: Page, question: Question, option: Option):
    return page.locator(f'select[name="q{question.pk}_rank_{option.pk}"]')


def press(page: Page, action: str) -> None:
    """One of the questionnaire's submit buttons: previous, save or next."""
    page.locator(f'main form button[name="action"][value="{action}"]').click()


def log_in_browser(context: BrowserContext, live_server, user: User) -> None:
    """A logged-in session without going through the login form (and the staff's TOTP step)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def make_citizen() -> User:
    user = User.objects.create_user(
        email=CITIZEN_EMAIL, password=CITIZEN_PASSWORD, name="Marie Joseph", preferred_language="ht"
    )
    EmailAddress.objects.create(user=user, email=CITIZEN_EMAIL, verified=True, primary=True)
    Participant.objects.create(user=user)
    return user


class Questionnaire:
    """An open, hybrid consultation with three sections, written in Spanish and Kreyòl."""

    def __init__(self, slug: str = "politik-migrasyon") -> None:
        now = timezone.now()
        self.consultation = Consultation.objects.create(
            slug=slug,
            modality=Modality.HYBRID,
            announced_at=now - timedelta(days=10),
            opens_at=now - timedelta(days=5),
            closes_at=now + timedelta(days=20),
            is_published=True,
            **tr("title", "Política migratoria", "Politik migrasyon"),
            **tr("summary", "Queremos su opinión.", "Nou vle konnen sa w panse."),
        )
        s1 = self.section(1, "Su llegada", "Arive w")
        s2 = self.section(2, "Servicios", "Sèvis yo")
        s3 = self.section(3, "Prioridades", "Priyorite yo")

        self.arrival, (self.work, self.family, self.study) = self.question(
            s1,
            1,
            QuestionKind.SINGLE,
            ("¿Por qué vino a Chile?", "Poukisa ou vin Chili?"),
            [("Trabajo", "Travay"), ("Familia", "Fanmi"), ("Estudios", "Etid")],
            required=True,
        )
        self.sources, (self.radio, self.friends, self.web) = self.question(
            s1,
            2,
            QuestionKind.MULTIPLE,
            ("¿Dónde se informa?", "Ki kote w jwenn enfòmasyon?"),
            [("Radio", "Radyo"), ("Amistades", "Zanmi"), ("Internet", "Entènèt")],
        )
        # Shown on the same page as soon as "family" is chosen (static/js/portal.js).
        self.companions, _options = self.question(
            s1,
            3,
            QuestionKind.SHORT_TEXT,
            ("¿Con quién vino?", "Avèk ki moun ou te vini?"),
            depends_on=self.family,
        )
        # Shown only to people who came for work (chosen in section 1) ...
        self.contract, (self.contract_yes, _no) = self.question(
            s2,
            1,
            QuestionKind.SINGLE,
            ("¿Tiene contrato?", "Èske w gen kontra?"),
            [("Sí", "Wi"), ("No", "Non")],
            required=True,
            depends_on=self.work,
        )
        # ... and this one only to people who came for family, which the citizen does not pick.
        self.family_text, _options = self.question(
            s2,
            2,
            QuestionKind.SHORT_TEXT,
            ("¿Con quién vive?", "Avèk ki moun ou rete?"),
            required=True,
            depends_on=self.family,
        )
        self.ease, scale = self.question(
            s2,
            3,
            QuestionKind.SCALE,
            ("Hacer trámites es fácil", "Fè demach fasil"),
            [("Muy de acuerdo", "Dakò nèt"), ("De acuerdo", "Dakò"), ("En desacuerdo", "Pa dakò")],
            required=True,
        )
        self.agree = scale[1]
        self.ranking, (self.housing, self.health, self.jobs) = self.question(
            s3,
            1,
            QuestionKind.RANKING,
            ("Ordene las prioridades", "Mete priyorite yo an lòd"),
            [("Vivienda", "Lojman"), ("Salud", "Sante"), ("Empleo", "Travay desan")],
            required=True,
        )
        self.comment, _options = self.question(
            s3, 2, QuestionKind.LONG_TEXT, ("¿Algo más?", "Èske gen lòt bagay?")
        )

    def section(self, order: int, es: str, ht: str) -> Section:
        return Section.objects.create(consultation=self.consultation, order=order, **tr("title", es, ht))

    def question(self, section, order, kind, text, options=(), required=False, depends_on=None):
        question = Question.objects.create(
            section=section,
            order=order,
            kind=kind,
            required=required,
            depends_on_option=depends_on,
            **tr("text", *text),
        )
        created = [
            Option.objects.create(question=question, order=i, **tr("text", es, ht))
            for i, (es, ht) in enumerate(options)
        ]
        return question, created


# --- Fixtures -----------------------------------------------------------------------------------------


@pytest.fixture
def phone(new_context: Callable[..., BrowserContext]) -> BrowserContext:
    """A fresh 360x740 context (its own cookies)."""
    return new_context(viewport=VIEWPORTS["phone"])


@pytest.fixture
def check_page(axe) -> Callable[[Page], None]:
    """Every public page of the citizen journeys: Kreyòl, a visible h1, axe-core clean and no sideways
    scrolling at 360 px."""

    def check(page: Page) -> None:
        expect(page.locator("html")).to_have_attribute("lang", "ht")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        blocking = [v for v in axe.run(page).response["violations"] if v["impact"] in BLOCKING_IMPACTS]
        if blocking:
            pytest.fail(
                f"axe-core found serious/critical violations on {page.url}:\n{format_violations(blocking)}"
            )
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"horizontal scroll at 360 px on {page.url}: {widths}"

    return check


# --- 1. Answer, save, resume, review, submit ---------------------------------------------------------


def test_citizen_answers_in_kreyol_on_a_phone(live_server, phone: BrowserContext, check_page, mailoutbox):
    q = Questionnaire()
    consultation = q.consultation
    citizen = make_citizen()
    page = phone.new_page()

    # Log in through the Kreyòl login page, coming back to the consultation.
    detail = consultation_path(consultation)
    page.goto(f"{live_server.url}{LOGIN}?next={detail}")
    check_page(page)
    form = page.locator('main form[action*="/cuenta/login/"]')
    form.locator("#id_login").fill(CITIZEN_EMAIL)
    form.locator("#id_password").fill(CITIZEN_PASSWORD)
    form.locator('button[type="submit"]').click()
    expect(page).to_have_url(url_re(live_server, detail))
    check_page(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Politik migrasyon")

    # Start answering.
    page.locator(f'main a[href="{step_path(consultation, 1)}"]').click()
    expect(page).to_have_url(url_re(live_server, step_path(consultation, 1)))
    check_page(page)
    expect(page.locator("progress")).to_have_attribute("value", "0")
    # Questions and options are in Kreyòl.
    expect(question_box(page, q.arrival).locator("legend")).to_contain_text("Poukisa ou vin Chili?")
    page.get_by_role("radio", name="Travay", exact=True).check()
    page.get_by_role("checkbox", name="Radyo", exact=True).check()
    page.get_by_role("checkbox", name="Entènèt", exact=True).check()

    # Save the draft: same page, a success message, answers stored.
    press(page, "save")
    expect(page).to_have_url(url_re(live_server, step_path(consultation, 1)))
    expect(page.locator(".messages .message--success")).to_be_visible()
    check_page(page)
    response = Response.objects.get(consultation=consultation, participant__user=citizen)
    assert response.status == Response.Status.DRAFT
    assert Answer.objects.filter(response=response).count() == 2

    # Leave through the header's menu (closed on a phone), come back to the consultation from the list.
    menu = page.locator("header details.site-menu")
    expect(menu.locator(f'nav.main-nav a[href="{PREFIX}/consultas/"]')).not_to_be_visible()
    menu.locator("summary").click()
    menu.locator(f'nav.main-nav a[href="{PREFIX}/consultas/"]').click()
    expect(page).to_have_url(url_re(live_server, f"{PREFIX}/consultas/"))
    check_page(page)
    page.locator(f'main a[href="{detail}"]').first.click()
    expect(page).to_have_url(url_re(live_server, detail))
    check_page(page)

    # "Continue my response" opens the first section not answered yet: section 1 was saved complete.
    continue_link = page.locator(
        f'main .call-to-action a[href="{consultation_path(consultation, "continuar/")}"]'
    )
    expect(continue_link).to_have_count(1)
    continue_link.click()
    expect(page).to_have_url(url_re(live_server, step_path(consultation, 2)))
    check_page(page)

    # The saved answers of section 1 are still selected.
    press(page, "previous")
    expect(page).to_have_url(url_re(live_server, step_path(consultation, 1)))
    expect(option_input(page, q.arrival, q.work)).to_be_checked()
    expect(option_input(page, q.arrival, q.family)).not_to_be_checked()
    expect(option_input(page, q.sources, q.radio)).to_be_checked()
    expect(option_input(page, q.sources, q.friends)).not_to_be_checked()
    expect(option_input(page, q.sources, q.web)).to_be_checked()
    # The question for people who came with family sits in this section and stays hidden for work.
    expect(question_box(page, q.companions)).to_be_hidden()

    # Section 2: the question for people who came for work is shown, the one for family is not.
    press(page, "next")
    expect(page).to_have_url(url_re(live_server, step_path(consultation, 2)))
    check_page(page)
    expect(page.locator("progress")).to_have_attribute("value", "33")
    expect(question_box(page, q.contract)).to_be_visible()
    expect(question_box(page, q.family_text)).to_have_count(0)
    expect(page.locator(f'[name="q{q.family_text.pk}"]')).to_have_count(0)
    expect(question_box(page, q.ease)).to_be_visible()
    page.get_by_role("radio", name="Wi", exact=True).check()
    page.get_by_role("radio", name="Dakò", exact=True).check()

    # Section 3: a ranking question (a position per option) and an open one.
    press(page, "next")
    expect(page).to_have_url(url_re(live_server, step_path(consultation, 3)))
    check_page(page)
    expect(page.locator("progress")).to_have_attribute("value", "67")
    expect(question_box(page, q.ranking).locator("select")).to_have_count(3)
    rank_select(page, q.ranking, q.housing).select_option("2")
    rank_select(page, q.ranking, q.health).select_option("1")
    rank_select(page, q.ranking, q.jobs).select_option("3")
    page.locator(f'textarea[name="q{q.comment.pk}"]').fill("Plis enfòmasyon an kreyòl.")

    # Review: every answer, in Kreyòl, the ranking in order.
    press(page, "next")
    expect(page).to_have_url(url_re(live_server, consultation_path(consultation, "revisar/")))
    check_page(page)
    review = page.locator("main dl.review")
    expect(review).to_have_count(3)

    def reviewed(question: Question):
        return page.locator("main dl.review > div").filter(has=page.locator("dt", has_text=question.text_ht))

    expect(reviewed(q.arrival).locator("dd")).to_have_text("Travay")
    expect(reviewed(q.sources).locator("dd")).to_have_text("Radyo, Entènèt")
    expect(reviewed(q.contract).locator("dd")).to_have_text("Wi")
    expect(reviewed(q.ease).locator("dd")).to_have_text("Dakò")
    expect(reviewed(q.ranking).locator("dd")).to_have_text("1. Sante · 2. Lojman · 3. Travay desan")
    expect(reviewed(q.comment).locator("dd")).to_have_text("Plis enfòmasyon an kreyòl.")
    # The question hidden by its condition was never asked, so it is not on the review either.
    expect(reviewed(q.family_text)).to_have_count(0)
    # Each section can be changed from the review.
    for step in (1, 2, 3):
        expect(page.locator(f'main a[href="{step_path(consultation, step)}"]')).to_have_count(1)

    # Submit: the thanks page, the response stored once and a confirmation email.
    page.locator('main form[method="post"] button[type="submit"]').click()
    expect(page).to_have_url(url_re(live_server, consultation_path(consultation, "gracias/")))
    check_page(page)
    expect(page.locator("main [role=status]")).to_contain_text("Politik migrasyon")

    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    assert response.channel == Channel.ONLINE
    answers = {a.question_id: a for a in Answer.objects.filter(response=response).prefetch_related("choices")}
    assert set(answers) == {q.arrival.pk, q.sources.pk, q.contract.pk, q.ease.pk, q.ranking.pk, q.comment.pk}
    assert {c.option_id: c.rank for c in answers[q.ranking.pk].choices.all()} == {
        q.health.pk: 1,
        q.housing.pk: 2,
        q.jobs.pk: 3,
    }
    assert [c.option_id for c in answers[q.ease.pk].choices.all()] == [q.agree.pk]
    assert any(CITIZEN_EMAIL in message.to for message in mail.outbox), "no confirmation email"

    # Coming back shows the response as sent: the questionnaire now leads to the thanks page.
    page.goto(live_server.url + step_path(consultation, 1))
    expect(page).to_have_url(url_re(live_server, consultation_path(consultation, "gracias/")))

    # Once the consultation closes and staff publish the results, she reads them on her phone: no sideways
    # scrolling (check_page), and the charts' text is still readable.
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1), results_published_at=timezone.now()
    )
    page.goto(live_server.url + consultation_path(consultation, "resultados/"))
    check_page(page)
    expect(page.locator("main svg.report-chart").first).to_be_visible()
    assert smallest_chart_text(page) >= 12


# --- 2. A required answer is missing ------------------------------------------------------------------


def test_missing_required_answer_is_linked_from_the_error_summary(
    live_server, phone: BrowserContext, check_page
):
    q = Questionnaire()
    consultation = q.consultation
    log_in_browser(phone, live_server, make_citizen())
    page = phone.new_page()

    page.goto(live_server.url + step_path(consultation, 1))
    check_page(page)
    # Only the optional question is answered.
    option_input(page, q.sources, q.friends).check()
    press(page, "next")

    # Still on section 1, with an error summary linking to the unanswered question.
    expect(page).to_have_url(url_re(live_server, step_path(consultation, 1)))
    summary = page.locator("main .error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    link = summary.locator(f'a[href="#pregunta-{q.arrival.pk}"]')
    expect(link).to_have_count(1)
    expect(summary.locator("a")).to_have_count(1)  # the optional question is not an error
    check_page(page)

    # The question is marked: its fieldset, an error message and aria-invalid on its options.
    box = question_box(page, q.arrival)
    expect(box).to_have_class(re.compile(r"\bfield--error\b"))
    expect(box.locator(".field__error")).to_have_count(1)
    for option in (q.work, q.family, q.study):
        expect(option_input(page, q.arrival, option)).to_have_attribute("aria-invalid", "true")
    expect(question_box(page, q.sources)).not_to_have_class(re.compile(r"\bfield--error\b"))
    # What was answered is kept.
    expect(option_input(page, q.sources, q.friends)).to_be_checked()
    assert not Response.objects.filter(consultation=consultation, answers__isnull=False).exists()

    # Following the link (by keyboard) scrolls to the question; the next Tab lands on its first option.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"location.hash === '#pregunta-{q.arrival.pk}'", timeout=2000)
    expect(box).to_be_in_viewport()
    page.keyboard.press("Tab")
    expect(option_input(page, q.arrival, q.work)).to_be_focused()

    # Answering it lets the person go on.
    option_input(page, q.arrival, q.work).check()
    press(page, "next")
    expect(page).to_have_url(url_re(live_server, step_path(consultation, 2)))

    # A required ranking left empty in section 3 must be reported the same way.
    page.goto(live_server.url + step_path(consultation, 3))
    press(page, "next")
    expect(page).to_have_url(url_re(live_server, step_path(consultation, 3)))
    summary = page.locator("main .error-summary")
    expect(summary).to_be_visible()
    check_page(page)
    # A ranking question left empty is linked from the summary and marked, like any other.
    expect(summary.locator(f'a[href="#pregunta-{q.ranking.pk}"]')).to_have_count(1)
    expect(question_box(page, q.ranking)).to_have_class(re.compile(r"\bfield--error\b"))


# --- 3. A dialogue recorded in admin, merged into the public results ---------------------------------


DIALOGUE_PERMISSIONS = [
    "view_consultation",
    "view_dialogue",
    "add_dialogue",
    "change_dialogue",
    "view_dialogueattendance",
    "add_dialogueattendance",
    "change_dialogueattendance",
    "view_dialogueoptioncount",
    "add_dialogueoptioncount",
    "change_dialogueoptioncount",
    "view_dialoguesynthesis",
    "add_dialoguesynthesis",
    "change_dialoguesynthesis",
]
ONLINE_FOR = {"Trabajo": 6, "Familia": 5}
DIALOGUE_FOR = {"Trabajo": 7}
ATTENDANCE = 20


def closed_consultation_with_results() -> tuple[Consultation, Question, dict[str, Option]]:
    """Closed, results published yesterday, with 11 online responses (6 "Trabajo", 5 "Familia")."""
    now = timezone.now()
    consultation = Consultation.objects.create(
        slug="dialogos-cerrada",
        modality=Modality.HYBRID,
        announced_at=now - timedelta(days=40),
        opens_at=now - timedelta(days=30),
        closes_at=now - timedelta(days=10),
        results_published_at=now - timedelta(days=1),
        is_published=True,
        **tr("title", "Consulta con diálogos", "Konsiltasyon ak dyalòg"),
        **tr("summary", "Resultados combinados.", "Rezilta yo ansanm."),
    )
    section = Section.objects.create(consultation=consultation, order=1, **tr("title", "Llegada", "Arive"))
    question = Question.objects.create(
        section=section,
        order=1,
        kind=QuestionKind.SINGLE,
        required=True,
        **tr("text", "¿Por qué vino a Chile?", "Poukisa ou vin Chili?"),
    )
    options = {
        es: Option.objects.create(question=question, order=i, **tr("text", es, ht))
        for i, (es, ht) in enumerate([("Trabajo", "Travay"), ("Familia", "Fanmi")])
    }
    for text, count in ONLINE_FOR.items():
        for _i in range(count):
            response = Response.objects.create(
                consultation=consultation, participant=Participant.objects.create()
            )
            services.response_save_answers(
                response=response, answers={question: AnswerValue(option_ids=[options[text].pk])}
            )
    Response.objects.filter(consultation=consultation).update(
        status=Response.Status.SUBMITTED, submitted_at=now - timedelta(days=12)
    )
    return consultation, question, options


def make_staff() -> User:
    user = User.objects.create_user(email="equipo.dialogos@example.org", password="x", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="consultations", codename__in=DIALOGUE_PERMISSIONS)
    )
    return enable_mfa(user)


def column_values(table, row_label: str) -> dict[str, str]:
    """A row of a published table as {column heading: cell text}."""
    headings = [h.strip() for h in table.locator("thead tr").last.locator("th").all_inner_texts()]
    row = table.locator("tbody tr").filter(has=table.page.locator("th", has_text=row_label))
    cells = [c.strip() for c in row.locator("td").all_inner_texts()]
    return dict(zip(headings[1:], cells, strict=True))


def test_staff_records_a_dialogue_and_results_merge_it(
    live_server, new_context: Callable[..., BrowserContext], assert_accessible
):
    consultation, question, options = closed_consultation_with_results()
    staff = make_staff()
    context = new_context(viewport=VIEWPORTS["desktop"], locale="es-CL")
    log_in_browser(context, live_server, staff)
    page = context.new_page()

    # Add the dialogue with its attendance.
    page.goto(live_server.url + "/admin/consultations/dialogue/add/")
    expect(page).to_have_url(url_re(live_server, "/admin/consultations/dialogue/add/"))
    starts = timezone.localtime(consultation.opens_at + timedelta(days=3)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    page.locator("#id_consultation").select_option(str(consultation.pk))
    page.locator("#id_title_es").fill("Diálogo en Estación Central")
    page.locator("#id_starts_at_0").fill(starts.strftime("%Y-%m-%d"))
    page.locator("#id_starts_at_1").fill("10:00:00")
    page.locator("#id_ends_at_0").fill(starts.strftime("%Y-%m-%d"))
    page.locator("#id_ends_at_1").fill("12:30:00")
    page.locator("#id_place").fill("Centro comunitario")
    page.locator("#id_region").select_option("CL-RM")
    page.locator("#id_commune").fill("Estación Central")
    # Attendance is chosen as "attribute → category"; the sums show as staff type.
    page.locator("#id_attendance-0-pair").select_option("total/all")
    page.locator("#id_attendance-0-count").fill(str(ATTENDANCE))
    page.locator("#id_attendance-1-pair").select_option("gender_identity/woman")
    page.locator("#id_attendance-1-count").fill(str(ATTENDANCE + 1))
    totals = page.locator("#attendance-group .count-totals")
    expect(totals).to_contain_text(f"Total de asistentes: {ATTENDANCE}")
    expect(totals.locator(".over")).to_contain_text(f"Identidad de género: {ATTENDANCE + 1}")
    page.locator("#id_attendance-1-count").fill("12")
    expect(totals.locator(".over")).to_have_count(0)
    assert_accessible(page)
    # Counts refer to the consultation's own options: they are entered once the dialogue is saved.
    expect(page.locator("#option_counts-group")).to_have_count(0)
    page.locator('input[type="submit"][name="_continue"]').click()

    expect(page).to_have_url(
        re.compile(re.escape(live_server.url) + r"/admin/consultations/dialogue/\d+/change/")
    )
    dialogue = Dialogue.objects.get(consultation=consultation)
    assert (dialogue.place, dialogue.region, dialogue.commune) == (
        "Centro comunitario",
        "CL-RM",
        "Estación Central",
    )
    assert timezone.localtime(dialogue.starts_at) == starts
    assert set(
        DialogueAttendance.objects.filter(dialogue=dialogue).values_list("attribute", "category", "count")
    ) == {("total", "all", ATTENDANCE), ("gender_identity", "woman", 12)}

    # The dialogue's input, mapped to the consultation's options.
    page.locator("#option_counts-group .add-row a").click()
    option_select = page.locator("#id_option_counts-0-option")
    # Offered as "question → option".
    expect(option_select.locator(f'option[value="{options["Trabajo"].pk}"]')).to_have_text(
        "¿Por qué vino a Chile? → Trabajo"
    )
    option_select.select_option(str(options["Trabajo"].pk))
    page.locator("#id_option_counts-0-count").fill(str(DIALOGUE_FOR["Trabajo"]))
    expect(page.locator("#option_counts-group .count-totals")).to_contain_text(
        f"¿Por qué vino a Chile?: {DIALOGUE_FOR['Trabajo']}"
    )
    assert_accessible(page)
    page.locator('input[type="submit"][name="_save"]').click()
    expect(page).to_have_url(url_re(live_server, "/admin/consultations/dialogue/"))
    assert list(DialogueOptionCount.objects.filter(dialogue=dialogue).values_list("option_id", "count")) == [
        (options["Trabajo"].pk, DIALOGUE_FOR["Trabajo"])
    ]

    # The public results page (Spanish) merges the dialogue with the online answers.
    results = consultation_path(consultation, "resultados/", prefix="")
    page.goto(live_server.url + results)
    expect(page).to_have_url(url_re(live_server, results))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert_accessible(page)

    section = page.locator(f'main section[aria-labelledby="q-{question.pk}"]')
    # The option x channel table (the one by gender identity sits in a <details>).
    table = section.locator(":scope > figure table.report-table")
    expect(table).to_have_count(1)
    work = column_values(table, "Trabajo")
    family = column_values(table, "Familia")
    assert work == {"En línea": "6", "Asistidas": "0", "Diálogos presenciales": "7", "Total": "13"}, work
    assert family == {"En línea": "5", "Asistidas": "0", "Diálogos presenciales": "0", "Total": "5"}, family
    # 11 people online plus 7 in the dialogue answered the question.
    expect(section.locator("p.small").first).to_contain_text("18")

    channels = page.locator("main section[aria-labelledby='channels-title'] table").first
    rows = dict(
        zip(
            [t.strip() for t in channels.locator("tbody th").all_inner_texts()],
            [t.strip() for t in channels.locator("tbody td").all_inner_texts()],
            strict=True,
        )
    )
    # Every channel is listed, zeros included.
    assert rows == {
        "En línea": "11",
        "Asistida: formulario en papel": "0",
        "Asistida: por teléfono": "0",
        "Diálogo presencial": str(ATTENDANCE),
    }, rows

    # The consultation's page lists the dialogue and links to the results.
    detail = consultation_path(consultation, prefix="")
    page.goto(live_server.url + detail)
    assert_accessible(page)
    expect(page.locator(f'main a[href="{results}"]')).to_have_count(1)
    expect(page.locator("main section[aria-labelledby='dialogues-title']")).to_contain_text(
        "Estación Central"
    )
    assert urlsplit(page.url).path == detail
