from functools import wraps

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _


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
