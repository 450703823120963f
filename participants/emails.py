"""One function per email (healthchecks' hc/lib/emails.py), sent at once to an address and rendered in the
recipient's language by ``engine.emails.direct_email_send``."""

from engine.emails import direct_email_send


def account_deleted(*, email: str, language: str, name: str) -> None:
    direct_email_send(
        template="account_deleted", to=email, language=language, context={"recipient": {"name": name}}
    )
