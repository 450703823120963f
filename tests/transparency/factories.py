"""Factories for the register: publications in each status, with versions, attachments and budget rows."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from tests import file_samples
from transparency import services
from transparency.models import Attachment, BudgetRow, Publication, PublicationType, SocialChannel, Status


class PublicationFactory(DjangoModelFactory):
    """Published (with its first version) unless ``status`` says otherwise."""

    class Meta:
        model = Publication
        skip_postgeneration_save = True

    type = PublicationType.POLICY
    title = factory.Sequence(lambda n: f"Publicación {n}")
    title_es = factory.SelfAttribute("title")
    slug = factory.Sequence(lambda n: f"publicacion-{n}")
    summary = "Un resumen corto, en palabras simples."
    summary_es = factory.SelfAttribute("summary")
    body = "<p>El texto completo.</p>"
    body_es = factory.SelfAttribute("body")
    responsible_unit = "Departamento de Estudios"
    responsible_unit_es = factory.SelfAttribute("responsible_unit")
    status = Status.DRAFT

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)

    @factory.post_generation
    def published(self, create, extracted, **kwargs):
        # Default True: publish through the service, as staff do (version 1, index, announcement).
        if create and extracted is not False and self.status == Status.DRAFT:
            services.publication_publish(publication=self)


def draft(**kwargs) -> Publication:
    return PublicationFactory(published=False, **kwargs)


def in_status(status: str, **kwargs) -> Publication:
    publication = PublicationFactory(published=False, **kwargs)
    publication.status = status
    publication.save()
    return publication


def published_days_ago(days: int, **kwargs) -> Publication:
    publication = PublicationFactory(**kwargs)
    day = timezone.localdate() - timedelta(days=days)
    publication.published_on = publication.updated_on = day
    publication.save()
    publication.versions.update(published_on=day)
    return publication


class AttachmentFactory(DjangoModelFactory):
    class Meta:
        model = Attachment

    publication = factory.SubFactory(PublicationFactory)
    title = "Documento completo"
    title_es = factory.SelfAttribute("title")
    description = "El texto oficial, 12 páginas."
    description_es = factory.SelfAttribute("description")
    file = factory.LazyFunction(lambda: ContentFile(file_samples.PDF, name="politica.pdf"))
    file_name = "politica.pdf"


class BudgetRowFactory(DjangoModelFactory):
    class Meta:
        model = BudgetRow

    publication = factory.SubFactory(PublicationFactory, type=PublicationType.BUDGET)
    program = factory.Sequence(lambda n: f"Programa {n}")
    program_es = factory.SelfAttribute("program")
    budget = Decimal(1_000_000)
    executed = Decimal(250_000)


class SocialChannelFactory(DjangoModelFactory):
    class Meta:
        model = SocialChannel

    name = factory.Sequence(lambda n: f"Canal {n}")
    name_es = factory.SelfAttribute("name")
    url = factory.Sequence(lambda n: f"https://social.example/sermig-{n}")
