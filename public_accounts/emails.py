"""Public-account emails to an address (the one-time link); followers and authors with an account hear
through engine.notify (``notifications.py``)."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from engine.emails import direct_email_send
from public_accounts.models import EmailConfirmation, PublicAccount


def question_link(*, request: HttpRequest, account: PublicAccount, confirmation: EmailConfirmation) -> None:
    """The one-time link for someone asking without an account, in the language of the page they used."""
    link = request.build_absolute_uri(
        reverse("public_accounts:email-confirm", kwargs={"year": account.year, "nonce": confirmation.nonce})
    )
    direct_email_send(
        template="public_account_link",
        to=confirmation.email,
        language=translation.get_language(),
        context={"account": account, "link": link, "hours": settings.PUBLIC_ACCOUNT_LINK_MAX_AGE // 3600},
    )
