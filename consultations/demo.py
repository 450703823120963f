"""Demo consultations: one open and hybrid with dialogues coming up, one closed with merged results, a
published report and SERMIG's response, a yearly plan and an open call for topic proposals."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from weasyprint import HTML

from consultations import services
from consultations.answers import AnswerValue
from consultations.models import (
    Answer,
    Channel,
    Commitment,
    Consultation,
    ConsultationDocument,
    ConsultationPlan,
    Dialogue,
    DialogueAttendance,
    DialogueOptionCount,
    DialogueSynthesis,
    InstitutionalResponse,
    Modality,
    ModerationStatus,
    Option,
    ProposalCall,
    Question,
    QuestionKind,
    Response,
    Section,
)
from consultations.reports import CONSULTATION_RESULTS
from engine.files import file_attach
from engine.models import ReportJob, Topic
from engine.reports.services import report_job_build, report_job_publish, report_job_start
from participants import services as participant_services
from participants.models import User


def at(now, days: int, hour: int) -> datetime:
    """``days`` from today at ``hour``:00 local time: demo dates read like dates staff would set."""
    day = timezone.localtime(now).date() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def tr(field: str, es: str, ht: str, en: str) -> dict:
    """A content field in the three languages (django-modeltranslation columns)."""
    return {field: es, f"{field}_es": es, f"{field}_ht": ht, f"{field}_en": en}


def _question(
    section, order, kind, text, options=(), required=False, allow_other=False, depends_on=None, help_text=None
):
    question = Question.objects.create(
        section=section,
        order=order,
        kind=kind,
        required=required,
        allow_other=allow_other,
        depends_on_option=depends_on,
        **tr("text", *text),
        **(tr("help_text", *help_text) if help_text else {}),
    )
    created = [
        Option.objects.create(question=question, order=i, **tr("text", *o)) for i, o in enumerate(options)
    ]
    return question, created


SCALE = [
    ("Muy fácil", "Trè fasil", "Very easy"),
    ("Fácil", "Fasil", "Easy"),
    ("Ni fácil ni difícil", "Ni fasil ni difisil", "Neither easy nor hard"),
    ("Difícil", "Difisil", "Hard"),
    ("Muy difícil", "Trè difisil", "Very hard"),
]


def _open_consultation(now, plan, staff) -> None:
    if Consultation.objects.filter(slug="politica-nacional-migratoria-2026").exists():
        return
    consultation = Consultation.objects.create(
        slug="politica-nacional-migratoria-2026",
        plan=plan,
        topic=Topic.objects.filter(slug="integracion-inclusion").first(),
        modality=Modality.HYBRID,
        announced_at=at(now, -20, 9),
        opens_at=at(now, -10, 9),
        closes_at=at(now, 21, 18),
        allow_anonymous=True,
        is_published=True,
        last_notified_phase="open",
        **tr(
            "title",
            "Consulta sobre la Política Nacional Migratoria 2026",
            "Konsiltasyon sou Politik Nasyonal Migrasyon 2026",
            "Consultation on the 2026 National Migration Policy",
        ),
        **tr(
            "summary",
            "Queremos saber cómo vive usted la integración en Chile: salud, convivencia y trámites. Sus respuestas "
            "ayudarán a actualizar la Política Nacional Migratoria.",
            "Nou vle konnen kijan ou viv entegrasyon an Chili: sante, viv ansanm ak demach. Repons ou yo ap ede "
            "mete Politik Nasyonal Migrasyon an ajou.",
            "We want to know how you experience integration in Chile: health, living together and paperwork. Your "
            "answers will help update the National Migration Policy.",
        ),
        **tr(
            "rationale",
            "La Política Nacional Migratoria debe revisarse con la participación de las personas migrantes y de "
            "las comunidades de acogida.",
            "Fòk yo revize Politik Nasyonal Migrasyon an ak patisipasyon moun ki imigran yo ak kominote ki "
            "resevwa yo.",
            "The National Migration Policy must be reviewed with the participation of migrants and host "
            "communities.",
        ),
        **tr(
            "technical_background",
            "Chile tiene cerca de 1,9 millones de personas extranjeras residentes (INE–SERMIG 2023). La migración "
            "reciente llegó sobre todo desde Venezuela, Perú, Colombia, Haití y Bolivia.",
            "Chili gen anviwon 1,9 milyon moun etranje k ap viv ladan l (INE–SERMIG 2023). Migrasyon dènye ane yo "
            "soti sitou nan Venezwela, Pewou, Kolonbi, Ayiti ak Bolivi.",
            "Chile has about 1.9 million foreign residents (INE–SERMIG 2023). Recent migration came mostly from "
            "Venezuela, Peru, Colombia, Haiti and Bolivia.",
        ),
        **tr(
            "expected_results",
            "Prioridades para el plan de acción 2027 y compromisos públicos de SERMIG.",
            "Priyorite pou plan aksyon 2027 la ak angajman piblik SERMIG.",
            "Priorities for the 2027 action plan and SERMIG's public commitments.",
        ),
    )
    health = Section.objects.create(
        consultation=consultation,
        order=1,
        **tr("title", "Integración e inclusión", "Entegrasyon ak enklizyon", "Integration and inclusion"),
    )
    _question(
        health,
        1,
        QuestionKind.SCALE,
        (
            "¿Qué tan fácil es para usted atenderse en salud?",
            "Èske li fasil pou ou jwenn swen sante?",
            "How easy is it for you to get health care?",
        ),
        SCALE,
        required=True,
    )
    _q, barriers = _question(
        health,
        2,
        QuestionKind.MULTIPLE,
        ("¿Qué barreras ha encontrado?", "Ki baryè ou jwenn?", "Which barriers have you met?"),
        [
            ("El idioma", "Lang nan", "Language"),
            ("Los documentos", "Papye yo", "Documents"),
            ("La discriminación", "Diskriminasyon", "Discrimination"),
            ("Los costos", "Kòb la", "Costs"),
        ],
        allow_other=True,
    )
    _question(
        health,
        3,
        QuestionKind.LONG_TEXT,
        ("Cuéntenos qué pasó", "Rakonte nou sa k te pase", "Tell us what happened"),
        depends_on=barriers[2],
        help_text=(
            "No escriba nombres ni datos de otras personas.",
            "Pa ekri non ni enfòmasyon lòt moun.",
            "Do not write names or other people's details.",
        ),
    )
    living = Section.objects.create(
        consultation=consultation,
        order=2,
        **tr(
            "title",
            "Convivencia y comunidades de acogida",
            "Viv ansanm ak kominote ki resevwa nou",
            "Coexistence and host communities",
        ),
    )
    _question(
        living,
        1,
        QuestionKind.RANKING,
        ("Ordene estas prioridades", "Mete priyorite sa yo nan lòd", "Rank these priorities"),
        [
            ("Aprender español", "Aprann panyòl", "Learning Spanish"),
            ("Empleo", "Travay", "Jobs"),
            ("Vivienda", "Lojman", "Housing"),
            ("Educación", "Edikasyon", "Education"),
        ],
        required=True,
    )
    _question(
        living,
        2,
        QuestionKind.SHORT_TEXT,
        (
            "Una idea para convivir mejor en su barrio",
            "Yon ide pou viv pi byen nan katye ou",
            "One idea to live together better in your neighbourhood",
        ),
    )
    territory = Section.objects.create(
        consultation=consultation,
        order=3,
        **tr(
            "title",
            "Territorio y descentralización",
            "Teritwa ak desantralizasyon",
            "Territory and decentralisation",
        ),
    )
    _question(
        territory,
        1,
        QuestionKind.SINGLE,
        (
            "¿Dónde prefiere hacer sus trámites?",
            "Ki kote ou prefere fè demach ou yo?",
            "Where do you prefer to do your paperwork?",
        ),
        [
            ("En línea", "Sou entènèt", "Online"),
            ("En la oficina regional", "Nan biwo rejyonal la", "At the regional office"),
            ("En mi municipio", "Nan minisipalite m", "At my municipality"),
        ],
        required=True,
    )
    _question(
        territory,
        2,
        QuestionKind.LONG_TEXT,
        ("¿Algo más que quiera decir?", "Èske ou vle di lòt bagay?", "Anything else you want to say?"),
    )
    for days, region, commune, place in [
        (7, "CL-AN", "Antofagasta", "Centro Cultural Estación Antofagasta"),
        (12, "CL-RM", "Santiago", "Biblioteca de Santiago"),
        (16, "CL-BI", "Concepción", "Casa del Arte, Universidad de Concepción"),
    ]:
        start = at(now, days, 18)
        Dialogue.objects.create(
            consultation=consultation,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place=place,
            region=region,
            commune=commune,
            facilitators="Equipo de Participación Ciudadana",
            **tr(
                "title",
                f"Diálogo participativo en {commune}",
                f"Dyalòg patisipatif nan {commune}",
                f"Participatory dialogue in {commune}",
            ),
        )


GENDERS = ["woman"] * 9 + ["man"] * 8 + ["non_binary", "prefer_not_to_say", ""]
NATIONALITIES = ["VE"] * 8 + ["PE"] * 3 + ["CO"] * 3 + ["HT"] * 3 + ["BO"] * 2 + ["CL"]


CLOSED_SLUG = "atencion-oficinas-regionales-2025"


def _closed_consultation(now, plan, staff) -> None:
    if Consultation.objects.filter(slug=CLOSED_SLUG).exists():
        return
    rng = random.Random(2025)  # noqa: S311 - reproducible demo data, not security
    consultation = Consultation.objects.create(
        slug=CLOSED_SLUG,
        plan=plan,
        topic=Topic.objects.filter(slug="territorio-descentralizacion").first(),
        modality=Modality.HYBRID,
        announced_at=at(now, -140, 9),
        opens_at=at(now, -120, 9),
        closes_at=at(now, -90, 18),
        results_published_at=at(now, -45, 10),
        response_published_at=at(now, -15, 10),
        is_published=True,
        last_notified_phase="response",
        **tr(
            "title",
            "Consulta sobre la atención en oficinas regionales 2025",
            "Konsiltasyon sou sèvis nan biwo rejyonal yo 2025",
            "Consultation on service at regional offices 2025",
        ),
        **tr(
            "summary",
            "Preguntamos cómo mejorar la atención presencial y en línea de SERMIG en regiones.",
            "Nou te mande kijan pou amelyore sèvis SERMIG nan rejyon yo, an pèsòn ak sou entènèt.",
            "We asked how to improve SERMIG's in-person and online service in the regions.",
        ),
    )
    section = Section.objects.create(
        consultation=consultation,
        order=1,
        **tr("title", "Su experiencia", "Eksperyans ou", "Your experience"),
    )
    rating, rating_options = _question(
        section,
        1,
        QuestionKind.SINGLE,
        (
            "¿Cómo evalúa la atención que recibió?",
            "Kijan ou evalye sèvis ou te resevwa a?",
            "How do you rate the service you received?",
        ),
        [("Buena", "Bon", "Good"), ("Regular", "Mwayen", "Fair"), ("Mala", "Move", "Poor")],
        required=True,
    )
    wish, wish_options = _question(
        section,
        2,
        QuestionKind.MULTIPLE,
        ("¿Qué mejoraría?", "Kisa ou ta amelyore?", "What would you improve?"),
        [
            ("Horarios", "Lè yo", "Opening hours"),
            ("Información en mi idioma", "Enfòmasyon nan lang mwen", "Information in my language"),
            ("Tiempos de espera", "Tan pou tann", "Waiting times"),
            ("Trato", "Jan yo trete moun", "How people are treated"),
        ],
    )
    idea, _none = _question(
        section,
        3,
        QuestionKind.LONG_TEXT,
        (
            "¿Qué idea tiene para mejorar la atención?",
            "Ki ide ou genyen pou amelyore sèvis la?",
            "What idea do you have to improve the service?",
        ),
    )

    ideas = [
        "Tener intérpretes de creole los lunes.",
        "Atender también el sábado en la mañana.",
        "Enviar avisos por WhatsApp cuando la resolución esté lista.",
        "Más módulos de autoatención en regiones.",
    ]
    # The consultation was open when these answers came in: submit them as of that time.
    answered_at = consultation.opens_at + timedelta(days=3)
    for index in range(70):
        gender = rng.choice(GENDERS)
        channel = (
            Channel.ONLINE if index < 55 else rng.choice([Channel.ASSISTED_PAPER, Channel.ASSISTED_PHONE])
        )
        participant = participant_services.participant_record(
            consented=["gender_identity"] if gender not in ("", "prefer_not_to_say") else [],
            channel="online" if channel == Channel.ONLINE else "staff",
            recorded_by=None if channel == Channel.ONLINE else staff,
            gender_identity=gender,
            nationality=rng.choice(NATIONALITIES),
            age_band=rng.choice(["18-29", "30-44", "30-44", "45-59", "60+"]),
            region=rng.choice(["CL-AN", "CL-RM", "CL-RM", "CL-TA", "CL-BI", "CL-VS"]),
        )
        response = Response.objects.create(
            consultation=consultation,
            participant=participant,
            channel=channel,
            recorded_by=None if channel == Channel.ONLINE else staff,
            # Paper forms are numbered as they arrive; staff type the number in with the answers.
            paper_reference=f"P-{index:03d}" if channel == Channel.ASSISTED_PAPER else "",
        )
        answers = {
            rating: AnswerValue(option_ids=[rng.choices(rating_options, weights=[5, 3, 2])[0].pk]),
            wish: AnswerValue(option_ids=[o.pk for o in rng.sample(wish_options, rng.randint(1, 3))]),
        }
        if index % 7 == 0:
            answers[idea] = AnswerValue(text=ideas[index % len(ideas)])
        services.response_save_answers(response=response, answers=answers)
        response.status = Response.Status.SUBMITTED
        response.submitted_at = answered_at
        response.save(update_fields=["status", "submitted_at"])
    # Moderated open answers: published without personal data.
    for answer in Answer.objects.filter(question=idea)[:3]:
        answer.published_text = answer.text
        answer.moderation = ModerationStatus.APPROVED
        answer.save(update_fields=["published_text", "moderation"])

    for days, region, commune, counts, synthesis in [
        (110, "CL-TA", "Iquique", (14, 9, 4), "Piden intérpretes y horarios extendidos."),
        (105, "CL-AN", "Calama", (11, 12, 6), "Se valora la atención, pero la espera es larga."),
        (100, "CL-RM", "Estación Central", (18, 10, 5), "Piden información en creole haitiano."),
    ]:
        start = at(now, -days, 18)
        dialogue = Dialogue.objects.create(
            consultation=consultation,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place="Sede comunitaria",
            region=region,
            commune=commune,
            facilitators="Equipo de Participación Ciudadana",
            **tr("title", f"Diálogo en {commune}", f"Dyalòg nan {commune}", f"Dialogue in {commune}"),
        )
        DialogueOptionCount.objects.bulk_create(
            DialogueOptionCount(dialogue=dialogue, option=option, count=count)
            for option, count in zip(rating_options, counts, strict=True)
        )
        DialogueOptionCount.objects.create(dialogue=dialogue, option=wish_options[1], count=sum(counts) // 2)
        DialogueSynthesis.objects.create(dialogue=dialogue, question=idea, text=synthesis, text_es=synthesis)
        total = sum(counts)
        DialogueAttendance.objects.bulk_create(
            [
                DialogueAttendance(dialogue=dialogue, attribute="total", category="all", count=total),
                DialogueAttendance(
                    dialogue=dialogue, attribute="gender_identity", category="woman", count=total // 2 + 1
                ),
                DialogueAttendance(
                    dialogue=dialogue,
                    attribute="gender_identity",
                    category="man",
                    count=total - total // 2 - 1,
                ),
            ]
        )

    InstitutionalResponse.objects.create(
        consultation=consultation,
        **tr(
            "text",
            "Gracias a las 70 respuestas y a los tres diálogos, SERMIG ampliará horarios y sumará información en creole.",
            "Gras a 70 repons yo ak twa dyalòg yo, SERMIG ap louvri pi lontan epi l ap mete enfòmasyon an kreyòl.",
            "Thanks to the 70 answers and three dialogues, SERMIG will extend opening hours and add information in Creole.",
        ),
    )
    for order, (text, unit, days, status) in enumerate(
        [
            (
                (
                    "Atención los sábados en Iquique, Antofagasta y Santiago",
                    "Sèvis samdi nan Iquique, Antofagasta ak Santiago",
                    "Saturday service in Iquique, Antofagasta and Santiago",
                ),
                "División de Atención",
                60,
                "in_progress",
            ),
            (
                (
                    "Intérpretes de creole haitiano en oficinas con más demanda",
                    "Entèprèt kreyòl ayisyen nan biwo ki gen plis moun",
                    "Haitian Creole interpreters at the busiest offices",
                ),
                "Departamento de Participación",
                120,
                "planned",
            ),
            (
                (
                    "Aviso por correo cuando la resolución esté lista",
                    "Avi pa imel lè rezolisyon an pare",
                    "Email notice when the decision is ready",
                ),
                "División de Tecnologías",
                30,
                "done",
            ),
        ]
    ):
        Commitment.objects.create(
            consultation=consultation,
            order=order,
            responsible_unit=unit,
            due_date=(now + timedelta(days=days)).date(),
            status=status,
            **tr("text", *text),
        )


# The systematisation report the demo publishes: every format in Spanish, and the PDF in Kreyòl.
DEMO_REPORTS = [("es", "pdf"), ("es", "xlsx"), ("es", "csv"), ("ht", "pdf")]


def _publish_report(consultation: Consultation, staff: User) -> None:
    """Build and publish each demo report file once (ordering alone publishes nothing)."""
    for language, fmt in DEMO_REPORTS:
        jobs = ReportJob.objects.publishable(CONSULTATION_RESULTS, consultation=consultation.pk).filter(
            language=language, format=fmt
        )
        if jobs.filter(published_at__isnull=False).exists():
            continue
        job = jobs.first()
        if job is None:
            job = report_job_start(
                kind=CONSULTATION_RESULTS,
                requested_by=staff,
                parameters={"consultation": consultation.pk},
                format=fmt,
                language=language,
                enqueue_build=False,
            )
            job = report_job_build(job_id=job.pk, notify_requester=False)
        report_job_publish(job=job, by=staff)


def _pdf(title: str, paragraphs: list[str]) -> bytes:
    """A small real PDF, so the demo's download links work (a few KB)."""
    body = "".join(f"<p>{escape(text)}</p>" for text in paragraphs)
    return HTML(string=f"<h1>{escape(title)}</h1>{body}").write_pdf()


def _documents(plan: ConsultationPlan) -> None:
    """The plan's document and the open consultation's position paper, each a real PDF (once)."""
    if not plan.document:
        file_attach(
            instance=plan,
            field="document",
            content=_pdf(
                plan.title_es,
                [
                    plan.summary_es,
                    "Documento de demostración: las fechas y los temas reales se publican en el plan oficial.",
                ],
            ),
            name=f"Plan de consultas {plan.year}.pdf",
        )
        plan.save(update_fields=["document", "document_name"])
    consultation = Consultation.objects.filter(slug="politica-nacional-migratoria-2026").first()
    if consultation is None or consultation.documents.exclude(file="").exists():
        return
    document = ConsultationDocument(
        consultation=consultation,
        order=1,
        **tr(
            "title",
            "Minuta de posición de la consulta",
            "Nòt sou pozisyon konsiltasyon an",
            "Position paper of the consultation",
        ),
    )
    file_attach(
        instance=document,
        field="file",
        content=_pdf(
            "Minuta de posición",
            [
                consultation.rationale_es,
                consultation.technical_background_es,
                consultation.expected_results_es,
            ],
        ),
        name="Minuta de posición.pdf",
    )
    document.save()


def load(stdout) -> None:
    now = timezone.now()
    staff = User.objects.get(email="equipo@demo.sermig.cl")
    with transaction.atomic():
        plan, _created = ConsultationPlan.objects.get_or_create(
            year=now.year,
            defaults={
                "published_at": at(now, -200, 10),
                **tr(
                    "title",
                    f"Plan de consultas ciudadanas {now.year}",
                    f"Plan konsiltasyon sitwayen {now.year}",
                    f"Citizen consultation plan {now.year}",
                ),
                **tr(
                    "summary",
                    "Las consultas que SERMIG hará este año, con sus fechas.",
                    "Konsiltasyon SERMIG ap fè ane sa a, ak dat yo.",
                    "The consultations SERMIG will hold this year, with their dates.",
                ),
            },
        )
        _open_consultation(now, plan, staff)
        _closed_consultation(now, plan, staff)
        _publish_report(Consultation.objects.get(slug=CLOSED_SLUG), staff)
        _documents(plan)
        ProposalCall.objects.get_or_create(
            plan=plan,
            defaults={
                "opens_at": at(now, -5, 9),
                "closes_at": at(now, 30, 18),
                "is_published": True,
                **tr(
                    "title",
                    f"Proponga temas para consultar en {now.year + 1}",
                    f"Pwopoze sijè pou konsilte an {now.year + 1}",
                    f"Propose topics to consult on in {now.year + 1}",
                ),
                **tr(
                    "description",
                    "Cuéntenos qué tema le gustaría que SERMIG consulte el próximo año.",
                    "Di nou ki sijè ou ta renmen SERMIG konsilte ane pwochèn.",
                    "Tell us which topic you would like SERMIG to consult on next year.",
                ),
            },
        )
    stdout.write(
        "Demo consultations: one open (hybrid, three dialogues), one closed with results and response."
    )
