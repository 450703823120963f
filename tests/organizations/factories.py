import itertools

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from participants.choices import LegalForm, OrganizationCategory, OrganizationStatus, Region
from participants.models import Organization, OrganizationDocument, OrganizationRepresentative
from participants.organizations.rut import check_digit
from tests import file_samples
from tests.factories import UserFactory

_numbers = itertools.count(65_100_000)


def valid_rut() -> str:
    number = str(next(_numbers))
    return f"{number}-{check_digit(number)}"


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    legal_name = factory.Sequence(lambda n: f"Organización migrante {n}")
    rut = factory.LazyFunction(valid_rut)
    legal_form = LegalForm.ASSOCIATION
    category = OrganizationCategory.MIGRANT_LED
    region = Region.METROPOLITANA
    commune = "Santiago"
    contact_email = factory.Sequence(lambda n: f"contacto{n}@org.example")
    status = OrganizationStatus.APPLIED
    submitted_at = factory.LazyFunction(timezone.now)

    class Params:
        accredited = factory.Trait(
            status=OrganizationStatus.ACCREDITED, accredited_at=factory.LazyFunction(timezone.now)
        )


class RepresentativeFactory(DjangoModelFactory):
    class Meta:
        model = OrganizationRepresentative

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = OrganizationDocument

    organization = factory.SubFactory(OrganizationFactory)
    kind = OrganizationDocument.Kind.STATUTES
    file = factory.django.FileField(filename="estatutos.pdf", data=file_samples.PDF)
    file_name = "estatutos.pdf"


def represented(user, **kwargs) -> Organization:
    organization = OrganizationFactory(**kwargs)
    RepresentativeFactory(organization=organization, user=user)
    return organization
