"""Consultation emails that go to an address, not to a subscriber (those go through engine.notify)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from consultations.models import AnonymousConfirmation, Consultation


def anonymous_confirmation(
    *, request: HttpRequest, consultation: Consultation, confirmation: AnonymousConfirmation, email: str
) -> None:
    """The one-time link for someone answering without an account, in the language of the page they used."""
    language = translation.get_language()
    link = request.build_absolute_uri(
        reverse(
            "consultations:anonymous-confirm", kwargs={"slug": consultation.slug, "nonce": confirmation.nonce}
        )
    )
    context = {
        "consultation": consultation,
        "link": link,
        "language": language,
        "hours": settings.CONSULTATION_LINK_MAX_AGE // 3600,
    }
    subject = render_to_string("emails/consultation_link_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("emails/consultation_link_body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
        headers={"Content-Language": language},
    )
    message.attach_alternative(render_to_string("emails/consultation_link_body.html", context), "text/html")
    message.send()
