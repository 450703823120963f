from datetime import timedelta
from functools import wraps

from allauth.core.internal.cryptokit import normalize_user_code
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import UsedSecondFactorCode


def mfa_required_for(user) -> bool:
    """Staff and members of the groups in MFA_REQUIRED_GROUPS (e.g. COSOC members) need a second factor."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return user.groups.filter(name__in=settings.MFA_REQUIRED_GROUPS).exists()


def has_mfa(user) -> bool:
    return is_mfa_enabled(user, [Authenticator.Type.TOTP])


def redirect_to_mfa_setup(request):
    messages.warning(
        request,
        _(
            "Para entrar a esta sección debe activar la verificación en dos pasos. Es un paso más para proteger los datos de las personas."
        ),
    )
    return redirect("mfa_activate_totp")


def mfa_required(view):
    """For pages that only members with a second factor may see (e.g. COSOC members' agendas)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if mfa_required_for(request.user) and not has_mfa(request.user):
            return redirect_to_mfa_setup(request)
        return view(request, *args, **kwargs)

    return wrapper


def mark_totp_code_used(totp, code: str) -> bool:
    """Record that ``code`` signed ``totp``'s owner in; False if it already did within the time it stays valid
    (its period on each side of the tolerance), so it cannot sign in again: a replayed code is refused.

    It takes the place of allauth's ``TOTP._mark_code_used`` (``participants.apps``), which marks the code with
    ``cache.add``: on a Redis that is down (the portal's cache then answers as an empty one) or was restarted,
    a code seen over someone's shoulder could be used again. The unique (person, code) row makes two requests
    racing with one code end with one sign-in."""
    window = timedelta(seconds=mfa_settings.TOTP_PERIOD * (2 * mfa_settings.TOTP_TOLERANCE + 1))
    now = timezone.now()
    code = normalize_user_code(code)
    user_id = totp.instance.user_id
    # The same six digits come round again by chance: only a use within the window counts.
    UsedSecondFactorCode.objects.filter(user_id=user_id, used_at__lt=now - window).delete()
    try:
        with transaction.atomic():
            UsedSecondFactorCode.objects.create(user_id=user_id, code=code, used_at=now)
    except IntegrityError:
        return False
    return True
