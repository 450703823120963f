"""Consultation emails that go to an address, not to a subscriber (those go through engine.notify)."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from consultations.models import AnonymousConfirmation, Consultation
from engine.emails import direct_email_send


def anonymous_confirmation(
    *, request: HttpRequest, consultation: Consultation, confirmation: AnonymousConfirmation, email: str
) -> None:
    """The one-time link for someone answering without an account, in the language of the page they used."""
    link = request.build_absolute_uri(
        reverse(
            "consultations:anonymous-confirm", kwargs={"slug": consultation.slug, "nonce": confirmation.nonce}
        )
    )
    direct_email_send(
        template="consultation_link",
        to=email,
        language=translation.get_language(),
        context={
            "consultation": consultation,
            "link": link,
            "hours": settings.CONSULTATION_LINK_MAX_AGE // 3600,
        },
    )
