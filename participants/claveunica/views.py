from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.utils import build_absolute_uri
from django.http import Http404, HttpRequest
from django.urls import reverse


class ClaveUnicaOAuth2Adapter(OpenIDConnectOAuth2Adapter):
    """Endpoints are fixed by ClaveÚnica's documentation: no discovery request, and only userinfo is read.

    The token and userinfo calls happen here, on the server; the browser only ever sees the authorize URL.
    """

    @property
    def openid_config(self) -> dict:
        base = self.get_provider().app.settings["server_url"].rstrip("/")
        return {
            "authorization_endpoint": f"{base}/authorize/",
            "token_endpoint": f"{base}/token/",
            "userinfo_endpoint": f"{base}/userinfo/",
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
        }

    def complete_login(self, request: HttpRequest, app, token, **kwargs):
        data = {"userinfo": self._fetch_user_info(token.token)}
        return self.get_provider().sociallogin_from_response(request, data)

    def get_callback_url(self, request: HttpRequest, app) -> str:
        callback_url = reverse("claveunica_callback", kwargs={"provider_id": self.provider_id})
        return build_absolute_uri(request, callback_url, self.redirect_uri_protocol)


def _run(
    view_class: type[OAuth2LoginView] | type[OAuth2CallbackView], request: HttpRequest, provider_id: str
):
    """allauth's view with the ClaveÚnica adapter; 404 while no ClaveÚnica app is configured."""
    try:
        return view_class.adapter_view(ClaveUnicaOAuth2Adapter(request, provider_id))(request)
    except SocialApp.DoesNotExist as error:
        raise Http404 from error


@login_not_required
def login(request: HttpRequest, provider_id: str):
    return _run(OAuth2LoginView, request, provider_id)


@login_not_required
def callback(request: HttpRequest, provider_id: str):
    return _run(OAuth2CallbackView, request, provider_id)
