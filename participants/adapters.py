from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal.ratelimit import get_ip as ratelimit_ip
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation

from participants.emails import account_email_message
from sermig_portal.language import set_language_cookie


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """The visitor's address, counted back ``TRUSTED_PROXY_COUNT`` entries in X-Forwarded-For. A header
        shorter than that, or not an address, is a misrouted request, not a reason for a 500: the connection's
        own address is used instead."""
        try:
            return super().get_client_ip(request)
        except (ImproperlyConfigured, PermissionDenied):
            return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 - a rate-limit key, not a bind

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """The per-account limit on failed logins (``ACCOUNT_RATE_LIMITS["login_failed"]``, ``…/key``) counts
        each client address apart, so failures from someone else's address never lock a person out. allauth
        uses this key for counting the failures and for wiping them after a password reset. The address is the
        one allauth's per-address limits use (an IPv6 address stands for its /64 network)."""
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{ratelimit_ip(request)}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Emails follow the recipient's preferred language; unknown recipients get the page's language."""
        user = context.get("user")
        if user is None or not getattr(user, "pk", None):
            user = get_user_model().objects.filter(email__iexact=email).only("preferred_language").first()
        language = user.preferred_language if user else translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)

    def render_mail(self, template_prefix: str, email, context: dict, headers=None):
        """Account emails in the portal's voice and the recipient's language (``send_mail`` chose it)."""
        to = email if isinstance(email, str) else email[0]
        return account_email_message(
            template_prefix,
            to=to,
            language=translation.get_language(),
            context=context,
            headers=headers,
            fallback=lambda: super(AccountAdapter, self).render_mail(
                template_prefix, email, context, headers
            ),
        )

    def save_user(self, request: HttpRequest, user, form, commit: bool = True):
        # The language someone signs up in is the one they read best.
        user.preferred_language = translation.get_language() or user.preferred_language
        return super().save_user(request, user, form, commit)

    def post_login(self, request: HttpRequest, user, **kwargs) -> HttpResponse:
        """At sign-in the saved language becomes this browser's choice, so addresses without a language prefix
        follow it (``sermig_portal.language``)."""
        response = super().post_login(request, user, **kwargs)
        if user.preferred_language and isinstance(response, HttpResponseRedirect):
            set_language_cookie(response, user.preferred_language)
        return response

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        url = super().get_login_redirect_url(request)
        language = getattr(request.user, "preferred_language", None)
        return translate_url(url, language) if language else url


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request: HttpRequest, sociallogin, data: dict):
        user = super().populate_user(request, sociallogin, data)
        user.name = data.get("name") or user.name
        return user
