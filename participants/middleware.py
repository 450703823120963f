from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from participants.mfa import has_mfa, mfa_required_for, redirect_to_mfa_setup


class RequireMFAMiddleware:
    """A staff user without a second factor is sent to set one up before reaching /admin/."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.path_info.startswith("/admin/")
            and request.user.is_authenticated
            and mfa_required_for(request.user)
            and not has_mfa(request.user)
        ):
            return redirect_to_mfa_setup(request)
        return self.get_response(request)
