from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from engine.pdf import html_to_pdf
from participants import services
from participants.data_export import readable_user_data, user_data
from participants.forms import DeleteAccountForm, ProfileForm
from participants.models import DataExport, Participant
from sermig_portal.language import set_language_cookie


def _get_export_for_user(request: HttpRequest, export_id) -> DataExport:
    """Only the owner, and only before it expires: anyone else, or a replay after expiry, gets 404."""
    export = DataExport.objects.filter(pk=export_id, user=request.user).first()
    if export is None or export.is_expired:
        raise Http404
    return export


@never_cache
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    participant = Participant.objects.filter(user=request.user).first() or Participant(user=request.user)
    form = ProfileForm(
        request.POST if request.method == "POST" else None, instance=participant, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        withdrawn = services.profile_update(
            user=request.user,
            name=form.cleaned_data["name"],
            preferred_language=form.cleaned_data["preferred_language"],
            attributes=form.attributes(),
            consented=form.consented(),
        )
        language = form.cleaned_data["preferred_language"]
        with translation.override(language):
            messages.success(request, _("Guardamos sus datos."))
            for attribute in withdrawn:
                label = Participant._meta.get_field(attribute).verbose_name
                messages.info(
                    request,
                    _("Retiró su consentimiento: borramos su respuesta sobre «%(attribute)s».")
                    % {"attribute": label},
                )
        # The page, and this browser's addresses without a prefix, follow the language the person just chose.
        return set_language_cookie(
            redirect(translate_url(reverse("participants:profile"), language)), language
        )
    return render(request, "participants/profile.html", {"form": form})


@never_cache
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "participants/my_data.html", {"sections": readable_user_data(request.user)})


@require_POST
@login_required
def export_create(request: HttpRequest) -> HttpResponse:
    export = services.data_export_create(user=request.user)
    return redirect("participants:export-detail", export_id=export.pk)


@never_cache
@login_required
def export_detail(request: HttpRequest, export_id) -> HttpResponse:
    export = _get_export_for_user(request, export_id)
    return render(
        request,
        "participants/export_detail.html",
        {"export": export, "sections": readable_user_data(request.user)},
    )


@never_cache
@login_required
def export_download(request: HttpRequest, export_id) -> HttpResponse:
    """The portable copy (JSON), for another service or program."""
    export = _get_export_for_user(request, export_id)
    services.data_export_downloaded(export=export)
    response = JsonResponse(user_data(request.user), json_dumps_params={"ensure_ascii": False, "indent": 2})
    return _attachment(response, "json")


@never_cache
@login_required
def export_download_pdf(request: HttpRequest, export_id) -> HttpResponse:
    """The same data to read and keep: a tagged PDF in the reader's language."""
    export = _get_export_for_user(request, export_id)
    services.data_export_downloaded(export=export)
    html = render_to_string(
        "participants/my_data_pdf.html",
        {"sections": readable_user_data(request.user), "user": request.user, "now": timezone.now()},
        request=request,
    )
    return _attachment(HttpResponse(html_to_pdf(html), content_type="application/pdf"), "pdf")


def _attachment(response: HttpResponse, extension: str) -> HttpResponse:
    response["Content-Disposition"] = (
        f'attachment; filename="sermig-mis-datos-{timezone.localdate():%Y-%m-%d}.{extension}"'
    )
    return response


@never_cache
@login_required
@reauthentication_required
def account_delete(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.account_delete(request=request, user=request.user)
        return redirect("participants:account-deleted")
    return render(request, "participants/account_delete.html", {"form": form})


def account_deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "participants/account_deleted.html")
