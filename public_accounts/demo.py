"""Demo public accounts: last year's, completed (30 answered questions online and in person, its answers
document and COSOC's observations), and this year's in its questions window, with last year's commitments,
new questions waiting for moderation and one rejected with its reason (seen only by its author and staff)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from engine.files import file_attach
from engine.pdf import html_to_pdf
from participants import services as participant_services
from participants.choices import ConsentChannel
from participants.demo import DEMO_CITIZEN_EMAIL, DEMO_STAFF_EMAIL
from participants.models import Participant, User
from public_accounts import services
from public_accounts.models import (
    Attachment,
    BudgetLine,
    Commitment,
    Kind,
    Modality,
    PresentationEvent,
    PublicAccount,
    Question,
    Section,
    Status,
)

UNIT_NAME = "Departamento de Extranjería (unidad que responde)"


def at(now, days: int, hour: int) -> datetime:
    day = timezone.localtime(now).date() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def tr(field: str, es: str, ht: str, en: str) -> dict:
    return {field: es, f"{field}_es": es, f"{field}_ht": ht, f"{field}_en": en}


SECTIONS = [
    (
        ("Regularización migratoria", "Regilarizasyon imigrasyon", "Migration regularisation"),
        (
            "<p>Resolvimos más solicitudes de residencia que el año anterior y abrimos atención en regiones.</p>",
            "<p>Nou rezoud plis demann rezidans pase ane anvan an, e nou louvri sèvis nan rejyon yo.</p>",
            "<p>We settled more residence applications than the year before and opened offices in regions.</p>",
        ),
    ),
    (
        ("Atención a las personas", "Sèvis pou moun yo", "Service to people"),
        (
            "<p>La atención en línea ahora está en español, Kreyòl e inglés.</p>",
            "<p>Sèvis sou entènèt la kounye a an panyòl, kreyòl ak anglè.</p>",
            "<p>Online service is now in Spanish, Kreyòl and English.</p>",
        ),
    ),
    (
        ("Presupuesto", "Bidjè", "Budget"),
        (
            "<p>Ejecutamos el 94 % del presupuesto. La tabla muestra cada programa.</p>",
            "<p>Nou itilize 94 % bidjè a. Tablo a montre chak pwogram.</p>",
            "<p>We spent 94% of the budget. The table shows each programme.</p>",
        ),
    ),
]
BUDGET = [
    (("Atención de público", "Sèvis pou piblik la", "Public service"), 4_200_000_000, 4_050_000_000),
    (("Procesos de residencia", "Pwosesis rezidans", "Residence processes"), 6_800_000_000, 6_500_000_000),
    (
        ("Integración e inclusión", "Entegrasyon ak enklizyon", "Integration and inclusion"),
        1_300_000_000,
        1_150_000_000,
    ),
    (("Tecnología", "Teknoloji", "Technology"), 2_100_000_000, 1_900_000_000),
]
COMMITMENTS = [
    (
        ("Abrir una oficina en Arica", "Louvri yon biwo nan Arica", "Open an office in Arica"),
        Commitment.Status.DONE,
    ),
    (
        (
            "Traducir los formularios al Kreyòl",
            "Tradui fòmilè yo an kreyòl",
            "Translate the forms into Kreyòl",
        ),
        Commitment.Status.IN_PROGRESS,
    ),
    (
        (
            "Reducir a 90 días la respuesta de residencias",
            "Bay repons rezidans nan 90 jou",
            "Answer residence applications within 90 days",
        ),
        Commitment.Status.IN_PROGRESS,
    ),
    (
        ("Crear un chat de atención", "Kreye yon chat pou sèvis", "Create a service chat"),
        Commitment.Status.DROPPED,
    ),
]
QUESTIONS = [
    ("¿Cuánto demora hoy una residencia temporal?", "es"),
    ("Konbyen tan sa pran pou jwenn rezidans tanporè?", "ht"),
    ("¿Habrá atención presencial en Antofagasta?", "es"),
    ("Èske nou ka pran randevou an kreyòl?", "ht"),
    ("How can I follow my application online?", "en"),
    ("¿Qué pasó con el programa de integración en escuelas?", "es"),
]
ANSWER = (
    "Gracias por su pregunta. SERMIG revisó su caso tipo y responde: el plazo promedio fue de 120 días y "
    "la meta es 90 días este año."
)


def _participant(n: int, *, in_person: bool, staff: User) -> Participant:
    nationality = ["VE", "HT", "PE", "CO", "BO"][n % 5]
    attributes = {
        "nationality": nationality,
        "age_band": ["18-29", "30-44", "45-59"][n % 3],
        "region": "CL-RM",
    }
    if in_person:
        return participant_services.participant_record(
            channel=ConsentChannel.STAFF, recorded_by=staff, **attributes
        )
    return participant_services.participant_record(**attributes)


def _content(account: PublicAccount, now) -> None:
    for order, (title, body) in enumerate(SECTIONS):
        Section.objects.create(account=account, order=order, **tr("title", *title), **tr("body", *body))
    for order, (program, budget, executed) in enumerate(BUDGET):
        BudgetLine.objects.create(
            account=account, order=order, budget=budget, executed=executed, **tr("program", *program)
        )
    PresentationEvent.objects.create(
        account=account,
        starts_at=account.presentation_at,
        ends_at=account.presentation_at + timedelta(hours=2),
        address="Av. Matucana 151, Santiago",
        online_url="https://www.youtube.com/@serviciomigraciones",
        **tr(
            "title",
            "Presentación de la cuenta pública",
            "Prezantasyon kont piblik la",
            "Public account presentation",
        ),
        **tr("place", "Auditorio SERMIG", "Oditoryòm SERMIG", "SERMIG auditorium"),
    )


def _attachment(account: PublicAccount) -> None:
    attachment = Attachment(
        account=account, **tr("title", "Cuenta pública completa", "Kont piblik konplè", "Full public account")
    )
    html = (
        f"<html lang='es'><body><h1>Cuenta pública {account.year}</h1><p>{account.summary}</p></body></html>"
    )
    file_attach(
        instance=attachment,
        field="file",
        content=html_to_pdf(html),
        name=f"cuenta-publica-{account.year}.pdf",
    )
    attachment.save()


def _last_year(now, staff: User, unit: Group) -> None:
    year = timezone.localtime(now).year - 1
    if PublicAccount.objects.filter(year=year).exists():
        return
    account = PublicAccount.objects.create(
        year=year,
        modality=Modality.BOTH,
        cosoc_review_at=at(now, -345, 9),
        published_at=at(now, -335, 9),
        presentation_at=at(now, -330, 11),
        questions_open_at=at(now, -330, 9),
        questions_close_at=at(now, -309, 18),
        observations_published_at=at(now, -260, 9),
        cosoc_url="https://participacion.serviciomigraciones.cl/cosoc/",
        **tr(
            "title",
            f"Cuenta pública participativa {year}",
            f"Kont piblik patisipatif {year}",
            f"Participatory public account {year}",
        ),
        **tr(
            "period",
            f"enero a diciembre de {year - 1}",
            f"janvye rive desanm {year - 1}",
            f"January to December {year - 1}",
        ),
        **tr(
            "summary",
            "SERMIG atendió a más personas, abrió oficinas en regiones y ejecutó el 94 % de su presupuesto.",
            "SERMIG sèvi plis moun, li louvri biwo nan rejyon yo epi li itilize 94 % bidjè li.",
            "SERMIG served more people, opened regional offices and spent 94% of its budget.",
        ),
        **tr(
            "cosoc_observations",
            "<p>El COSOC valora las respuestas en Kreyòl y pide publicar los plazos de residencia cada mes.</p>",
            "<p>COSOC la apresye repons an kreyòl yo e li mande pou pibliye delè rezidans yo chak mwa.</p>",
            "<p>The council values the answers in Kreyòl and asks for residence times to be published monthly.</p>",
        ),
    )
    _content(account, now)
    for order, (text, status) in enumerate(COMMITMENTS):
        Commitment.objects.create(
            account=account,
            order=order,
            status=status,
            responsible_unit="División de Atención",
            **tr("text", *text),
            **tr(
                "status_note",
                "Avance informado en la cuenta de este año.",
                "Pwogrè yo nan kont ane sa a.",
                "Progress reported in this year's account.",
            ),
        )
    sections = list(account.sections.all())
    for n in range(30):
        in_person = n % 4 == 3  # 8 of 30 asked at the presentation
        text, language = QUESTIONS[n % len(QUESTIONS)]
        text = f"{text} ({n + 1})"
        if in_person:
            question = services.question_record_in_person(
                account=account,
                staff=staff,
                text=text,
                language=language,
                section=sections[n % 3],
                contact="",
                asked_at=account.presentation_at + timedelta(minutes=n),
                attributes={"nationality": ["VE", "HT", "PE"][n % 3], "age_band": "30-44", "region": "CL-RM"},
            )
        else:
            question = Question.objects.create(
                account=account,
                participant=_participant(n, in_person=False, staff=staff),
                text=text,
                text_hash=services.text_hash(text),
                language=language,
                section=sections[n % 3],
                created_at=account.questions_open_at + timedelta(days=n % 20, hours=3),
            )
        services.question_moderate(question=question, status=Status.ACCEPTED, by=staff)
        services.question_assign(question=question, unit=unit, by=staff)
        answers = {"es": ANSWER}
        if language == "ht":
            answers["ht"] = "Mèsi pou kesyon ou. Delè mwayen an te 120 jou; objektif la se 90 jou ane sa a."
        if language == "en":
            answers["en"] = (
                "Thank you for your question. The average time was 120 days; the goal is 90 days this year."
            )
        services.answer_draft(question=question, answers=answers, by=staff)
        services.answer_approve(question=question, by=staff)
    services.answers_publish_all(account=account, by=staff, now=at(now, -285, 12))
    account.refresh_from_db()
    account.last_notified_phase = account.phase
    account.save(update_fields=["last_notified_phase"])


def _this_year(now, staff: User, unit: Group) -> None:
    year = timezone.localtime(now).year
    if PublicAccount.objects.filter(year=year).exists():
        return
    account = PublicAccount.objects.create(
        year=year,
        modality=Modality.BOTH,
        cosoc_review_at=at(now, -25, 9),
        published_at=at(now, -10, 9),
        presentation_at=at(now, -7, 11),
        questions_open_at=at(now, -7, 9),
        questions_close_at=at(now, 14, 18),
        **tr(
            "title",
            f"Cuenta pública participativa {year}",
            f"Kont piblik patisipatif {year}",
            f"Participatory public account {year}",
        ),
        **tr(
            "period",
            f"enero a diciembre de {year - 1}",
            f"janvye rive desanm {year - 1}",
            f"January to December {year - 1}",
        ),
        **tr(
            "summary",
            "SERMIG redujo los tiempos de espera, atendió en tres idiomas y rinde cuenta de sus compromisos.",
            "SERMIG diminye tan datant, li bay sèvis nan twa lang epi li rann kont sou angajman li yo.",
            "SERMIG cut waiting times, served people in three languages and reports on its commitments.",
        ),
    )
    _content(account, now)
    _attachment(account)
    sections = list(account.sections.all())
    citizen = User.objects.filter(email=DEMO_CITIZEN_EMAIL).first()
    citizen_participant = participant_services.participant_for_user(user=citizen) if citizen else None
    for n, (text, language) in enumerate(QUESTIONS[:4]):
        participant = (
            citizen_participant
            if (n == 1 and citizen_participant)
            else _participant(n, in_person=False, staff=staff)
        )
        Question.objects.create(
            account=account,
            participant=participant,
            text=text,
            text_hash=services.text_hash(text),
            language=language,
            kind=Kind.QUESTION if n != 2 else Kind.OBSERVATION,
            section=sections[n % 3],
            created_at=at(now, -6 + n, 10),
        )
    accepted = Question.objects.create(
        account=account,
        participant=_participant(9, in_person=False, staff=staff),
        text="¿Cuándo estarán los formularios en Kreyòl?",
        text_hash=services.text_hash("¿Cuándo estarán los formularios en Kreyòl?"),
        section=sections[1],
        created_at=at(now, -5, 12),
    )
    services.question_moderate(question=accepted, status=Status.ACCEPTED, by=staff)
    services.question_assign(question=accepted, unit=unit, by=staff)
    rejected_text = "Mi RUT es 12.345.678-9, ¿por qué no me llaman? Kilè yo ap rele m?"
    rejected = Question.objects.create(
        account=account,
        participant=citizen_participant or _participant(10, in_person=False, staff=staff),
        text=rejected_text,
        text_hash=services.text_hash(rejected_text),
        language="ht",
        topic="Mi trámite",
        created_at=at(now, -4, 9),
    )
    services.question_moderate(
        question=rejected,
        status=Status.REJECTED,
        reason="Su pregunta trae datos personales y trata de un trámite propio. Escríbanos por el formulario de atención.",
        by=staff,
    )


def load(stdout) -> None:
    now = timezone.now()
    staff = User.objects.get(email=DEMO_STAFF_EMAIL)
    with transaction.atomic():
        unit, _created = Group.objects.get_or_create(name=UNIT_NAME)
        _last_year(now, staff, unit)
        _this_year(now, staff, unit)
    stdout.write(
        "Demo public accounts: last year's with its answers document, this year's open for questions."
    )
