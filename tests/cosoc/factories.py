import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from cosoc import models
from participants.models import Organization
from tests.factories import UserFactory


def today() -> datetime.date:
    return timezone.localdate()


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    legal_name = factory.Sequence(lambda n: f"Organización {n}")
    category = 1
    region = "CL-RM"
    status = "accredited"


class CouncilFactory(DjangoModelFactory):
    class Meta:
        model = models.Council

    name = "Consejo de la Sociedad Civil de SERMIG"
    quorum_numerator = 1
    quorum_denominator = 2


class TermFactory(DjangoModelFactory):
    """The current term unless told otherwise."""

    class Meta:
        model = models.Term

    council = factory.SubFactory(CouncilFactory)
    start = factory.LazyFunction(lambda: today() - datetime.timedelta(days=300))
    end = factory.LazyFunction(lambda: today() + datetime.timedelta(days=400))


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = models.Membership

    term = factory.SubFactory(TermFactory)
    user = factory.SubFactory(UserFactory)
    public_name = factory.LazyAttribute(lambda m: m.user.name or "Integrante")
    organization = factory.SubFactory(OrganizationFactory)
    category = factory.LazyAttribute(lambda m: m.organization.category)
    role = models.Role.COUNCILLOR
    start = factory.LazyAttribute(lambda m: m.term.start)


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = models.Session

    term = factory.SubFactory(TermFactory)
    title = factory.Sequence(lambda n: f"Sesión ordinaria {n}")
    date = factory.LazyFunction(lambda: today() + datetime.timedelta(days=10))
    starts_at = datetime.time(10, 0)
    ends_at = datetime.time(12, 0)
    place = "Oficina central de SERMIG, Santiago"
    status = models.SessionStatus.PLANNED


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = models.AgendaItem

    session = factory.SubFactory(SessionFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Punto {n}")
    description = "Qué se va a conversar, en palabras simples."


class AgendaDocumentFactory(DjangoModelFactory):
    class Meta:
        model = models.AgendaDocument

    item = factory.SubFactory(AgendaItemFactory)
    title = "Minuta"
    file = factory.django.FileField(filename="minuta.pdf", data=b"%PDF-1.4\n%%EOF\n")
    file_name = "minuta.pdf"
    visibility = models.DocumentVisibility.MEMBERS


class AgreementFactory(DjangoModelFactory):
    class Meta:
        model = models.Agreement

    session = factory.SubFactory(SessionFactory, status=models.SessionStatus.MINUTES_APPROVED)
    text = factory.Sequence(lambda n: f"Acuerdo {n}")
    responsible = "Departamento de Estudios"
    due_date = factory.LazyFunction(lambda: today() + datetime.timedelta(days=30))
