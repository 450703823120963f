"""An organisation applies, staff decide with reasons, the representatives hear of it in their language."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from engine.models import Notification
from engine.notifications.services import notifications_send
from participants.choices import OrganizationStatus
from participants.models import Organization, OrganizationDecision, OrganizationDocument
from participants.organizations import services
from tests import file_samples
from tests.helpers import enable_mfa, grant, logged_in
from tests.organizations.factories import represented, valid_rut

pytestmark = pytest.mark.django_db


def application(**overrides) -> dict:
    data = {
        "legal_name": "Fondasyon Ayisyen nan Chili",
        "rut": valid_rut(),
        "other_registration": "",
        "legal_form": "association",
        "category": "1",
        "region": "CL-RM",
        "commune": "Estación Central",
        "description": "",
        "website": "",
        "contact_email": "kontak@fondasyon.example",
        "contact_phone": "",
        "position": "Prezidan",
        "acts_for": "on",
        "statutes": SimpleUploadedFile("estatutos.pdf", file_samples.PDF, content_type="application/pdf"),
    }
    data.update(overrides)
    return data


@pytest.fixture
def reviewer(staff_member):
    return grant(enable_mfa(staff_member), "view_organization", "review_organization")


def messages_to(user) -> list[dict]:
    return [row.context["message"] for row in Notification.objects.filter(recipient=user).order_by("pk")]


def test_a_signed_in_person_applies_and_becomes_the_representative(rosa, file_storage):
    browser = logged_in(rosa)
    response = browser.post(reverse("organizations:apply"), application())
    assert response.status_code == 302
    organization = Organization.objects.get()
    assert organization.status == OrganizationStatus.APPLIED
    assert list(organization.representatives.values_list("user__email", "position")) == [
        ("rosa@example.org", "Prezidan")
    ]
    document = organization.documents.get()
    assert document.kind == OrganizationDocument.Kind.STATUTES
    assert document.file_name == "estatutos.pdf"
    assert not document.file.name.endswith("estatutos.pdf"), "stored under a generated name"
    # Told in Kreyòl as well as every other language; the email picks hers at send time.
    (message,) = messages_to(rosa)
    assert set(message) == {"es", "ht", "en"} and message["ht"] != message["es"]
    dashboard = browser.get(reverse("organizations:dashboard"))
    assert "Fondasyon Ayisyen nan Chili" in dashboard.content.decode()


def test_the_application_form_reads_in_kreyol(rosa):
    page = logged_in(rosa, language="ht").get("/ht" + reverse("organizations:apply"))
    assert page.status_code == 200
    assert 'lang="ht"' in page.content.decode()
    assert "Postular a su organización al Registro" not in page.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"rut": "12.345.678-4"}, "rut", "dígito verificador"),
        ({"rut": "", "other_registration": ""}, "rut", "otro registro"),
        ({"statutes": SimpleUploadedFile("estatutos.pdf", file_samples.HTML)}, "statutes", "no"),
        ({"statutes": SimpleUploadedFile("estatutos.pdf.exe", file_samples.EXE)}, "statutes", "extensiones"),
        ({"statutes": SimpleUploadedFile("planilla.xlsx", file_samples.xlsx())}, "statutes", ".xlsx"),
        ({"acts_for": ""}, "acts_for", "actuar en nombre"),
    ],
)
def test_bad_applications_are_refused_clearly_and_nothing_is_written(
    rosa, file_storage, overrides, field, words
):
    response = logged_in(rosa).post(reverse("organizations:apply"), application(**overrides))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert words in errors
    assert not Organization.objects.exists()
    assert not file_storage.listdir("")[1] and not file_storage.listdir("")[0]
    assert not Notification.objects.exists()


def test_a_document_over_the_registry_limit_is_refused(rosa, file_storage, settings):
    settings.REGISTRY_DOCUMENT_MAX_BYTES = 100
    response = logged_in(rosa).post(reverse("organizations:apply"), application())
    assert "el máximo es" in " ".join(response.context["form"].errors["statutes"])
    assert not Organization.objects.exists()


def test_a_rut_already_registered_is_refused(rosa, tomas, file_storage):
    rut = valid_rut()
    represented(tomas, rut=rut)
    response = logged_in(rosa).post(reverse("organizations:apply"), application(rut=rut.replace("-", "")))
    assert response.status_code == 200
    assert "Ya hay una organización registrada con este RUT" in response.content.decode()
    assert Organization.objects.count() == 1


def test_a_foreign_registration_stands_in_for_the_rut(rosa, file_storage):
    logged_in(rosa).post(
        reverse("organizations:apply"), application(rut="", other_registration="Haití, MAST n.º 1234")
    )
    assert Organization.objects.get().registration == "Haití, MAST n.º 1234"


def test_staff_accredit_in_admin_and_the_representative_is_told(rosa, reviewer, file_storage):
    organization = represented(rosa)
    admin = logged_in(reviewer)
    response = admin.post(
        reverse("admin:participants_organization_changelist"),
        {"action": "accredit", "_selected_action": [organization.pk]},
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.ACCREDITED and organization.accredited_at
    assert organization.decisions.get().decided_by == reviewer
    (message,) = messages_to(rosa)
    assert "acreditada" in message["es"]
    assert organization in Organization.objects.accredited()


def test_asking_for_changes_needs_a_reason_which_the_representative_reads(rosa, reviewer):
    organization = represented(rosa)
    admin = logged_in(reviewer)
    url = reverse("admin:participants_organization_changelist")
    first = admin.post(url, {"action": "request_changes", "_selected_action": [organization.pk]})
    assert first.status_code == 200 and "Motivo" in first.content.decode()
    empty = admin.post(
        url,
        {"action": "request_changes", "_selected_action": [organization.pk], "confirm": "1", "reason": " "},
    )
    assert "Escriba el motivo" in empty.content.decode()
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.APPLIED
    admin.post(
        url,
        {
            "action": "request_changes",
            "_selected_action": [organization.pk],
            "confirm": "1",
            "reason": "Falta el certificado de vigencia.",
        },
    )
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.CHANGES_REQUESTED
    assert "Falta el certificado de vigencia." in messages_to(rosa)[0]["ht"]
    dashboard = logged_in(rosa).get(reverse("organizations:dashboard")).content.decode()
    assert "Falta el certificado de vigencia." in dashboard


def test_after_changes_the_application_goes_back_to_staff(rosa, reviewer, file_storage):
    organization = represented(rosa)
    services.organization_request_changes(organization=organization, by=reviewer, reason="Falta la comuna.")
    browser = logged_in(rosa)
    data = application(legal_name=organization.legal_name, rut=organization.rut, commune="Quilicura")
    data.pop("acts_for"), data.pop("position")
    data["statutes"] = SimpleUploadedFile("vigencia.png", file_samples.PNG)
    response = browser.post(reverse("organizations:update", args=[organization.pk]), data)
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.APPLIED
    assert organization.commune == "Quilicura"
    assert organization.documents.get().file_name == "vigencia.png"


def test_rejecting_is_final_and_says_why(rosa, reviewer):
    organization = represented(rosa)
    services.organization_reject(organization=organization, by=reviewer, reason="No trabaja en migración.")
    assert "No trabaja en migración." in messages_to(rosa)[0]["en"]
    assert logged_in(rosa).get(reverse("organizations:update", args=[organization.pk])).status_code == 404
    with pytest.raises(services.RegistryRefusal):
        services.organization_accredit(organization=organization, by=reviewer)


def test_an_accredited_organisation_updates_its_data_but_name_and_category_wait_for_staff(
    rosa, reviewer, file_storage
):
    organization = represented(rosa, accredited=True, legal_name="Nombre antiguo", category=1)
    data = application(legal_name="Nombre nuevo", rut=organization.rut, category="2", commune="Maipú")
    data.pop("acts_for"), data.pop("position"), data.pop("statutes")
    assert (
        logged_in(rosa).post(reverse("organizations:update", args=[organization.pk]), data).status_code == 302
    )
    organization.refresh_from_db()
    assert (organization.legal_name, organization.category, organization.commune) == (
        "Nombre antiguo",
        1,
        "Maipú",
    )
    assert (organization.requested_legal_name, organization.requested_category) == ("Nombre nuevo", 2)
    assert organization.is_accredited
    assert organization in Organization.objects.awaiting_review()
    services.organization_change_approve(organization=organization, by=reviewer)
    organization.refresh_from_db()
    assert (organization.legal_name, organization.category) == ("Nombre nuevo", 2)
    assert not organization.has_requested_change
    assert OrganizationDecision.objects.filter(decision="change_approved").exists()


def test_refusing_a_change_keeps_the_accredited_data(rosa, reviewer):
    organization = represented(
        rosa, accredited=True, legal_name="Nombre antiguo", requested_legal_name="Otro"
    )
    with pytest.raises(services.RegistryRefusal):
        services.organization_change_refuse(organization=organization, by=reviewer, reason="")
    services.organization_change_refuse(organization=organization, by=reviewer, reason="Sin documento.")
    organization.refresh_from_db()
    assert organization.legal_name == "Nombre antiguo" and not organization.has_requested_change


def test_representatives_add_another_person_with_an_account(rosa, tomas):
    organization = represented(rosa)
    browser = logged_in(rosa)
    url = reverse("organizations:representative-add", args=[organization.pk])
    browser.post(url, {"email": "nadie@example.org"})
    assert organization.representatives.count() == 1
    browser.post(url, {"email": "TOMAS@example.org", "position": "Tesorero"})
    assert set(organization.representatives.values_list("user__email", flat=True)) == {
        "rosa@example.org",
        "tomas@example.org",
    }
    mine = organization.representatives.get(user=rosa)
    theirs = organization.representatives.get(user=tomas)
    logged_in(rosa).post(reverse("organizations:representative-remove", args=[organization.pk, theirs.pk]))
    assert organization.representatives.count() == 1
    with pytest.raises(services.RegistryRefusal):
        services.representative_remove(representative=mine, by=rosa)


def test_the_email_reaches_the_representative_in_kreyol(rosa, reviewer, mailoutbox):
    organization = represented(rosa)
    services.organization_reject(organization=organization, by=reviewer, reason="Dokiman yo pa klè.")
    notifications_send()
    (email,) = [m for m in mailoutbox if "rosa@example.org" in m.to]
    assert "Yo refize aplikasyon òganizasyon ou. Rezon: Dokiman yo pa klè." in email.body
    assert organization.legal_name in email.body
