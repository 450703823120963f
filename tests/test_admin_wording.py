"""What staff read in admin (issue 13, item 13): messages without the wrong grammatical gender, every name on
the index in the page's language, no raw "PK" column, people recognisable in pickers."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.admin.templatetags.admin_list import result_headers
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags

from consultations.models import Consultation
from participants.models import Participant, User
from tests.consultations.factories import ConsultationFactory
from tests.helpers import admin_form_data

pytestmark = pytest.mark.django_db


def index_names(client) -> list[str]:
    html = client.get("/admin/").content.decode()
    captions = re.findall(r"<caption>\s*<a[^>]*>([^<]*)</a>", html)
    models = re.findall(r'<th scope="row"[^>]*>\s*(?:<a[^>]*>)?([^<]*)', html)
    return [name.strip() for name in captions + models]


def test_the_admin_index_names_allauths_models_in_spanish(admin_client):
    names = index_names(admin_client)
    assert "Verificación en dos pasos" in names and "Métodos de verificación" in names
    assert "Sesiones abiertas" in names
    assert not {"Authenticators", "User sessions", "MFA"} & set(names)


def test_allauths_names_are_translated_like_ours():
    """The admin is served in Spanish (its URLs have no language prefix); the names follow the language."""
    with translation.override("ht"):
        names = [str(Authenticator._meta.verbose_name_plural), str(UserSession._meta.verbose_name_plural)]
    assert names == ["fason pou verifye", "sesyon ki louvri"]


def test_messages_about_a_consultation_do_not_call_it_masculine(admin_client):
    consultation = ConsultationFactory(title="Consulta sobre salud", title_es="Consulta sobre salud")
    url = reverse("admin:consultations_consultation_change", args=[consultation.pk])
    data = admin_form_data(admin_client.get(url))
    response = admin_client.post(url, data, follow=True)
    texts = [strip_tags(str(m)) for m in get_messages(response.wsgi_request)] or [
        strip_tags(m.message) for m in response.context["messages"]
    ]
    assert texts == ["Listo: se guardaron los cambios de «Consulta sobre salud» (consulta)."]
    assert "fue agregado" not in response.content.decode()


def test_deleting_says_what_went_without_a_gender(admin_client):
    consultation = ConsultationFactory(title="Para borrar", title_es="Para borrar")
    url = reverse("admin:consultations_consultation_delete", args=[consultation.pk])
    response = admin_client.post(url, {"post": "yes"}, follow=True)
    assert "Listo: se eliminó «Para borrar» (consulta)." in response.content.decode()
    assert not Consultation.objects.filter(pk=consultation.pk).exists()


@pytest.mark.parametrize("url", ["/admin/engine/notification/", "/admin/engine/reportjob/"])
def test_change_lists_have_no_raw_pk_column(admin_client, url):
    headings = [str(h["text"]) for h in result_headers(admin_client.get(url).context["cl"])]
    assert "PK" not in headings and "Pk" not in headings
    assert "n.º" in headings, headings


def test_people_are_recognisable_in_pickers(staff_member):
    with_account = Participant.objects.create(
        user=User.objects.create_user(email="rosa@example.org", name="Rosa Pérez")
    )
    assert str(with_account) == "Rosa Pérez (rosa@example.org)"
    recorded = Participant.objects.create(commune="Estación Central")
    date = timezone.localtime(recorded.created_at).strftime("%d/%m/%Y")
    assert str(recorded) == f"Sin cuenta · Estación Central · {date} · n.º {recorded.pk}"
    assert "Participante n.º" not in str(Participant.objects.create())
