"""One function per email (healthchecks' hc/lib/emails.py): rendered in the recipient's language."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def _send(name: str, *, to: str, language: str, context: dict) -> None:
    with translation.override(language):
        context = {**context, "language": language, "recipient": {"name": context.get("name", "")}}
        subject = render_to_string(f"emails/{name}_subject.txt", context).strip()
        text = render_to_string(f"emails/{name}_body.txt", context)
        html = render_to_string(f"emails/{name}_body.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    message.send()


def account_deleted(*, email: str, language: str, name: str) -> None:
    _send("account_deleted", to=email, language=language, context={"name": name})
