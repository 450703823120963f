"""Accounts in each phase (traits), their content and questions."""

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from public_accounts import services
from public_accounts.models import (
    BudgetLine,
    Commitment,
    PresentationEvent,
    PublicAccount,
    Question,
    Section,
    Status,
)
from tests.factories import ParticipantFactory


def _now():
    return timezone.now()


class PublicAccountFactory(DjangoModelFactory):
    """In its questions window by default: published a week ago, questions open until in 10 days."""

    class Meta:
        model = PublicAccount

    year = factory.Sequence(lambda n: 2026 - n)
    period = factory.LazyAttribute(lambda o: f"enero a diciembre de {o.year - 1}")
    title = factory.LazyAttribute(lambda o: f"Cuenta pública {o.year}")
    title_es = factory.SelfAttribute("title")
    summary = "SERMIG informa lo que hizo."
    summary_es = factory.SelfAttribute("summary")
    cosoc_review_at = factory.LazyFunction(lambda: _now() - timedelta(days=30))
    published_at = factory.LazyFunction(lambda: _now() - timedelta(days=7))
    presentation_at = factory.LazyFunction(lambda: _now() - timedelta(days=2))
    questions_open_at = factory.LazyFunction(lambda: _now() - timedelta(days=1))
    questions_close_at = factory.LazyFunction(lambda: _now() + timedelta(days=10))

    class Params:
        draft = factory.Trait(
            cosoc_review_at=factory.LazyFunction(lambda: _now() - timedelta(days=1)),
            published_at=factory.LazyFunction(lambda: _now() + timedelta(days=5)),
            presentation_at=factory.LazyFunction(lambda: _now() + timedelta(days=6)),
            questions_open_at=factory.LazyFunction(lambda: _now() + timedelta(days=7)),
            questions_close_at=factory.LazyFunction(lambda: _now() + timedelta(days=28)),
        )
        closed = factory.Trait(
            published_at=factory.LazyFunction(lambda: _now() - timedelta(days=60)),
            presentation_at=factory.LazyFunction(lambda: _now() - timedelta(days=50)),
            questions_open_at=factory.LazyFunction(lambda: _now() - timedelta(days=50)),
            questions_close_at=factory.LazyFunction(lambda: _now() - timedelta(days=20)),
        )
        upcoming = factory.Trait(
            questions_open_at=factory.LazyFunction(lambda: _now() + timedelta(days=3)),
            questions_close_at=factory.LazyFunction(lambda: _now() + timedelta(days=20)),
        )


class SectionFactory(DjangoModelFactory):
    class Meta:
        model = Section

    account = factory.SubFactory(PublicAccountFactory)
    order = factory.Sequence(int)
    title = factory.Sequence(lambda n: f"Sección {n}")
    title_es = factory.SelfAttribute("title")
    body = "<p>Lo que hicimos.</p>"
    body_es = factory.SelfAttribute("body")


class BudgetLineFactory(DjangoModelFactory):
    class Meta:
        model = BudgetLine

    account = factory.SubFactory(PublicAccountFactory)
    program = factory.Sequence(lambda n: f"Programa {n}")
    program_es = factory.SelfAttribute("program")
    budget = 1000
    executed = 800


class CommitmentFactory(DjangoModelFactory):
    class Meta:
        model = Commitment

    account = factory.SubFactory(PublicAccountFactory)
    text = factory.Sequence(lambda n: f"Compromiso {n}")
    text_es = factory.SelfAttribute("text")


class EventFactory(DjangoModelFactory):
    class Meta:
        model = PresentationEvent

    account = factory.SubFactory(PublicAccountFactory)
    title = "Presentación en Santiago"
    title_es = factory.SelfAttribute("title")
    place = "Teatro"
    place_es = factory.SelfAttribute("place")
    starts_at = factory.LazyFunction(lambda: _now() + timedelta(days=1))
    ends_at = factory.LazyFunction(lambda: _now() + timedelta(days=1, hours=2))


class QuestionFactory(DjangoModelFactory):
    """A question received online; ``accepted=True`` for one past moderation."""

    class Meta:
        model = Question

    account = factory.SubFactory(PublicAccountFactory)
    participant = factory.SubFactory(ParticipantFactory)
    text = factory.Sequence(lambda n: f"¿Pregunta número {n}?")
    text_hash = factory.LazyAttribute(lambda o: services.text_hash(o.text))
    topic = "General"

    class Params:
        accepted = factory.Trait(status=Status.ACCEPTED)


def answered(question: Question, *, text: str = "Esta es la respuesta.", by=None) -> Question:
    """Accepted, answered in Spanish and approved (not yet published)."""
    if question.status != Status.ACCEPTED:
        services.question_moderate(question=question, status=Status.ACCEPTED)
    services.answer_draft(question=question, answers={"es": text})
    return services.answer_approve(question=question, by=by)
