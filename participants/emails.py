"""One function per email (healthchecks' hc/lib/emails.py), sent at once to an address and rendered in the
recipient's language by ``engine.emails.direct_email_send``; and the account emails django-allauth sends
(sign-up, verification, password reset, security notices), in the portal's voice.

allauth names each email by a template prefix; ``ACCOUNT_EMAILS`` maps every one the portal can send to our
template (``templates/emails/<template>_{subject.txt,body.txt,body.html}``, text + HTML, signed by the
Servicio Nacional de Migraciones, "usted" in Spanish). The security notices share one template and differ by
their subject and sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.core.mail import EmailMultiAlternatives
from django.utils.translation import gettext_lazy as _

from engine.emails import direct_email_send, email_message, email_render


def account_deleted(*, email: str, language: str, name: str) -> None:
    direct_email_send(
        template="account_deleted", to=email, language=language, context={"recipient": {"name": name}}
    )


@dataclass(frozen=True)
class AccountEmail:
    template: str
    # Which of allauth's links the button leads to.
    action: str = ""
    subject: object = ""
    # The notice's sentence; it may name values of allauth's context (``%(to_email)s``).
    message: object = ""
    extra: Mapping = field(default_factory=dict)


def _notice(subject, message) -> AccountEmail:
    return AccountEmail("account_notice", subject=subject, message=message)


ACCOUNT_EMAILS: dict[str, AccountEmail] = {
    "account/email/email_confirmation_signup": AccountEmail(
        "account_email_confirmation", action="activate_url", extra={"signup": True}
    ),
    "account/email/email_confirmation": AccountEmail(
        "account_email_confirmation", action="activate_url", extra={"signup": False}
    ),
    "account/email/password_reset_key": AccountEmail(
        "account_password_reset_key", action="password_reset_url"
    ),
    "account/email/account_already_exists": AccountEmail(
        "account_already_exists", action="password_reset_url"
    ),
    "account/email/unknown_account": AccountEmail("account_unknown", action="signup_url"),
    "account/email/password_changed": _notice(_("Su contraseña cambió"), _("Su contraseña cambió.")),
    "account/email/password_set": _notice(
        _("Su cuenta tiene contraseña"), _("Su cuenta tiene ahora una contraseña.")
    ),
    "account/email/password_reset": _notice(
        _("Su contraseña cambió"), _("Su contraseña cambió con el enlace que le enviamos por correo.")
    ),
    "account/email/email_changed": _notice(
        _("Su correo cambió"), _("El correo de su cuenta cambió de %(from_email)s a %(to_email)s.")
    ),
    "account/email/email_deleted": _notice(
        _("Quitamos un correo de su cuenta"), _("Quitamos el correo %(deleted_email)s de su cuenta.")
    ),
    "mfa/email/totp_activated": _notice(
        _("Activó la verificación en dos pasos"), _("Activó la verificación en dos pasos con una aplicación.")
    ),
    "mfa/email/totp_deactivated": _notice(
        _("Desactivó la verificación en dos pasos"),
        _("Desactivó la verificación en dos pasos con una aplicación."),
    ),
    "mfa/email/recovery_codes_generated": _notice(
        _("Nuevos códigos de recuperación"),
        _("Se crearon nuevos códigos de recuperación para su cuenta; los anteriores ya no sirven."),
    ),
    "socialaccount/email/account_connected": _notice(
        _("Conectó otra forma de ingresar"), _("Ahora puede ingresar a su cuenta también con %(provider)s.")
    ),
    "socialaccount/email/account_disconnected": _notice(
        _("Quitó una forma de ingresar"), _("Ya no puede ingresar a su cuenta con %(provider)s.")
    ),
}


def _text(value, context: Mapping) -> str:
    values = {key: str(getattr(item, "name", item)) for key, item in context.items()}
    text = str(value)
    return text % values if "%(" in text else text


def account_email_message(
    template_prefix: str,
    *,
    to: str,
    language: str,
    context: Mapping,
    headers: Mapping[str, str] | None = None,
    fallback: Callable[[], EmailMultiAlternatives],
) -> EmailMultiAlternatives:
    """allauth's email ``template_prefix`` as the portal writes it, in ``language``; ``fallback`` builds
    allauth's own for a prefix the portal does not know (a feature turned on later: add it above)."""
    email = ACCOUNT_EMAILS.get(template_prefix)
    if email is None:
        return fallback()
    rendered_context = {
        **context,
        **email.extra,
        "recipient": context.get("user"),
        "action_url": context.get(email.action, "") if email.action else "",
        "subject": _text(email.subject, context) if email.subject else "",
        "message": _text(email.message, context) if email.message else "",
    }
    rendered = email_render(email.template, language=language, context=rendered_context)
    return email_message(rendered, to=to, language=language, headers=headers)
