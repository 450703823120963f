"""Factories for consultations, and helpers that build whole questionnaires and submitted responses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from consultations import services
from consultations.answers import AnswerValue
from consultations.models import (
    AnonymousConfirmation,
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
    ModerationStatus,
    Option,
    ProposalCall,
    Question,
    QuestionKind,
    Response,
    Section,
    TopicProposal,
)
from participants import services as participant_services
from participants.models import SENSITIVE_ATTRIBUTES, Participant
from tests.factories import ParticipantFactory


class ConsultationPlanFactory(DjangoModelFactory):
    class Meta:
        model = ConsultationPlan

    year = factory.Sequence(lambda n: 2030 + n)
    title = factory.LazyAttribute(lambda o: f"Plan de consultas {o.year}")
    title_es = factory.SelfAttribute("title")
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))


class ConsultationFactory(DjangoModelFactory):
    """Open now by default; the traits move its dates to each other phase."""

    class Meta:
        model = Consultation

    class Params:
        upcoming = factory.Trait(
            announced_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1)),
            opens_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=5)),
            closes_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=20)),
        )
        closed = factory.Trait(
            announced_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=40)),
            opens_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=30)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=10)),
        )
        with_results = factory.Trait(
            closed=True, results_published_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=2))
        )

    title = factory.Sequence(lambda n: f"Consulta ciudadana {n}")
    title_es = factory.SelfAttribute("title")
    slug = factory.Sequence(lambda n: f"consulta-{n}")
    summary = "Queremos saber su opinión."
    summary_es = factory.SelfAttribute("summary")
    announced_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=5))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    is_published = True


class SectionFactory(DjangoModelFactory):
    class Meta:
        model = Section

    consultation = factory.SubFactory(ConsultationFactory)
    title = factory.Sequence(lambda n: f"Sección {n}")
    title_es = factory.SelfAttribute("title")
    order = factory.Sequence(lambda n: n)


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    section = factory.SubFactory(SectionFactory)
    text = factory.Sequence(lambda n: f"¿Pregunta número {n}?")
    text_es = factory.SelfAttribute("text")
    kind = QuestionKind.SINGLE
    order = factory.Sequence(lambda n: n)


class OptionFactory(DjangoModelFactory):
    class Meta:
        model = Option

    question = factory.SubFactory(QuestionFactory)
    text = factory.Sequence(lambda n: f"Opción {n}")
    text_es = factory.SelfAttribute("text")
    order = factory.Sequence(lambda n: n)


class ResponseFactory(DjangoModelFactory):
    class Meta:
        model = Response

    consultation = factory.SubFactory(ConsultationFactory)
    participant = factory.SubFactory(ParticipantFactory)


class AnswerFactory(DjangoModelFactory):
    class Meta:
        model = Answer

    response = factory.SubFactory(ResponseFactory)
    question = factory.SubFactory(QuestionFactory, kind=QuestionKind.LONG_TEXT)


class DialogueFactory(DjangoModelFactory):
    class Meta:
        model = Dialogue

    consultation = factory.SubFactory(ConsultationFactory)
    title = factory.Sequence(lambda n: f"Diálogo {n}")
    title_es = factory.SelfAttribute("title")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    place = "Biblioteca de Santiago"
    region = "CL-RM"
    commune = "Santiago"


class DialogueOptionCountFactory(DjangoModelFactory):
    class Meta:
        model = DialogueOptionCount

    dialogue = factory.SubFactory(DialogueFactory)
    option = factory.SubFactory(OptionFactory)
    count = 10


class DialogueSynthesisFactory(DjangoModelFactory):
    class Meta:
        model = DialogueSynthesis

    dialogue = factory.SubFactory(DialogueFactory)
    question = factory.SubFactory(QuestionFactory, kind=QuestionKind.LONG_TEXT)
    text = "Las personas piden intérpretes."
    text_es = factory.SelfAttribute("text")


class DialogueAttendanceFactory(DjangoModelFactory):
    class Meta:
        model = DialogueAttendance

    dialogue = factory.SubFactory(DialogueFactory)
    attribute = "total"
    category = "all"
    count = 20


class ConsultationDocumentFactory(DjangoModelFactory):
    class Meta:
        model = ConsultationDocument

    consultation = factory.SubFactory(ConsultationFactory)
    title = factory.Sequence(lambda n: f"Documento {n}")
    url = "https://www.serviciomigraciones.cl/minuta.pdf"


class InstitutionalResponseFactory(DjangoModelFactory):
    class Meta:
        model = InstitutionalResponse

    consultation = factory.SubFactory(ConsultationFactory)
    text = "SERMIG ampliará sus horarios."
    text_es = factory.SelfAttribute("text")


class CommitmentFactory(DjangoModelFactory):
    class Meta:
        model = Commitment

    consultation = factory.SubFactory(ConsultationFactory)
    text = factory.Sequence(lambda n: f"Compromiso {n}")
    text_es = factory.SelfAttribute("text")
    responsible_unit = "División de Atención"
    due_date = factory.LazyFunction(lambda: (timezone.now() + timedelta(days=60)).date())


class ProposalCallFactory(DjangoModelFactory):
    class Meta:
        model = ProposalCall

    title = factory.Sequence(lambda n: f"Convocatoria {n}")
    title_es = factory.SelfAttribute("title")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=2))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))
    is_published = True


class TopicProposalFactory(DjangoModelFactory):
    class Meta:
        model = TopicProposal

    call = factory.SubFactory(ProposalCallFactory)
    participant = factory.SubFactory(ParticipantFactory)
    title = factory.Sequence(lambda n: f"Tema propuesto {n}")
    description = "Es importante para mi comunidad."


class AnonymousConfirmationFactory(DjangoModelFactory):
    class Meta:
        model = AnonymousConfirmation

    consultation = factory.SubFactory(ConsultationFactory, allow_anonymous=True)
    email_hash = factory.Sequence(lambda n: services.email_hash(f"persona{n}@example.org"))


# --- A whole questionnaire ------------------------------------------------------------------------


@dataclass
class Questionnaire:
    """A consultation with three sections and every kind of question, named for readable tests."""

    consultation: Consultation
    sections: list[Section] = field(default_factory=list)
    q: dict[str, Question] = field(default_factory=dict)
    o: dict[str, Option] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.consultation.slug


def _question(questionnaire: Questionnaire, name: str, section: Section, kind: str, options=(), **kwargs):
    question = QuestionFactory(section=section, kind=kind, text=f"¿{name}?", **kwargs)
    questionnaire.q[name] = question
    for option_name in options:
        questionnaire.o[option_name] = OptionFactory(question=question, text=option_name)
    return question


def build_questionnaire(consultation: Consultation) -> Questionnaire:
    """Section 1: single (required), multiple with «other», long text shown only after «Discriminación»
    (required then). Section 2: scale (required), ranking, short text. Section 3: single (required), and a
    long text shown only to those who answered «No» in section 1."""
    qn = Questionnaire(consultation=consultation)
    s1, s2, s3 = (
        SectionFactory(consultation=consultation, order=i, title=title)
        for i, title in enumerate(["Salud", "Convivencia", "Territorio"], start=1)
    )
    qn.sections = [s1, s2, s3]
    _question(qn, "atendido", s1, QuestionKind.SINGLE, ["Sí", "No"], required=True, order=1)
    _question(
        qn,
        "barreras",
        s1,
        QuestionKind.MULTIPLE,
        ["Idioma", "Documentos", "Discriminación"],
        allow_other=True,
        order=2,
    )
    _question(
        qn,
        "que_paso",
        s1,
        QuestionKind.LONG_TEXT,
        required=True,
        order=3,
        depends_on_option=qn.o["Discriminación"],
    )
    _question(
        qn,
        "facilidad",
        s2,
        QuestionKind.SCALE,
        ["Muy fácil", "Fácil", "Regular", "Difícil", "Muy difícil"],
        required=True,
        order=1,
    )
    _question(qn, "prioridades", s2, QuestionKind.RANKING, ["Empleo", "Vivienda", "Educación"], order=2)
    _question(qn, "idea", s2, QuestionKind.SHORT_TEXT, order=3)
    _question(qn, "donde", s3, QuestionKind.SINGLE, ["En línea", "Oficina"], required=True, order=1)
    _question(qn, "por_que_no", s3, QuestionKind.LONG_TEXT, order=2, depends_on_option=qn.o["No"])
    return qn


def complete_answers(qn: Questionnaire) -> dict[Question, AnswerValue]:
    """Every required question answered, nothing conditional triggered."""
    value = AnswerValue
    return {
        qn.q["atendido"]: value(option_ids=[qn.o["Sí"].pk]),
        qn.q["barreras"]: value(option_ids=[qn.o["Idioma"].pk]),
        qn.q["facilidad"]: value(option_ids=[qn.o["Fácil"].pk]),
        qn.q["donde"]: value(option_ids=[qn.o["En línea"].pk]),
    }


def submitted_response(
    consultation: Consultation,
    answers: dict[Question, AnswerValue],
    *,
    channel: str = Channel.ONLINE,
    participant: Participant | None = None,
    **participant_attributes,
) -> Response:
    """A submitted response stored as a finished one is, without going through the open-phase check
    (results tests need responses to consultations that are closed by now)."""
    if participant is None:
        consented = [name for name in participant_attributes if name in SENSITIVE_ATTRIBUTES]
        participant = participant_services.participant_record(consented=consented, **participant_attributes)
    response = Response.objects.create(consultation=consultation, participant=participant, channel=channel)
    services.response_save_answers(response=response, answers=answers)
    response.status = Response.Status.SUBMITTED
    response.submitted_at = timezone.now()
    response.save(update_fields=["status", "submitted_at"])
    return response


def approve(answer: Answer, published_text: str) -> Answer:
    answer.moderation = ModerationStatus.APPROVED
    answer.published_text = published_text
    answer.save(update_fields=["moderation", "published_text"])
    return answer
