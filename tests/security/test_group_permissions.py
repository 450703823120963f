"""Issue 11, item 10: each staff role can do its job in admin, and nothing more (participants/roles.py).

A member of each group, with ``is_staff`` and a second factor, opens every admin list: exactly the lists of the
role's job answer 200, every other one 403; then does one piece of the job.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from engine.models import Topic
from participants.roles import (
    ANSWERING_UNIT,
    CONTENT_EDITORS,
    COSOC_SECRETARY,
    PARTICIPATION_TEAM,
    ROLES,
    grant,
    revoke,
)
from tests.factories import UserFactory
from tests.helpers import enable_mfa

pytestmark = pytest.mark.django_db

ADMIN_LISTS = {
    PARTICIPATION_TEAM: {
        "consultations.consultationplan",
        "consultations.proposalcall",
        "consultations.topicproposal",
        "consultations.consultation",
        "consultations.section",
        "consultations.question",
        "consultations.dialogue",
        "consultations.response",
        "consultations.answer",
        "engine.referencedistribution",
        "engine.reportjob",
        "engine.subscription",
        "engine.notification",
        "engine.topic",
        "transparency.publication",
        "transparency.socialchannel",
    },
    CONTENT_EDITORS: {
        "engine.topic",
        "engine.page",
        "transparency.publication",
        "transparency.socialchannel",
    },
    COSOC_SECRETARY: {
        "cosoc.council",
        "cosoc.term",
        "cosoc.membership",
        "cosoc.session",
        "cosoc.agendaitem",
        "cosoc.minutes",
        "cosoc.agreement",
        "cosoc.observation",
        # Memberships pick their organisation from the registry.
        "participants.organization",
    },
    ANSWERING_UNIT: set(),
}


def member_of(role: str, *, is_staff: bool = True, mfa: bool = True):
    user = UserFactory(email=f"{role.lower().replace(' ', '.')}@example.org", is_staff=is_staff)
    user.groups.add(Group.objects.get(name=role))
    return enable_mfa(user) if mfa else user


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def admin_lists_open_to(client) -> set[str]:
    opened = set()
    for model in admin.site._registry:
        status = client.get(changelist(model)).status_code
        assert status in (200, 403), (model, status)
        if status == 200:
            opened.add(model._meta.label_lower)
    return opened


@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_exactly_the_admin_lists_of_its_job(role):
    client = browser(member_of(role))
    assert client.get("/admin/").status_code == 200
    assert admin_lists_open_to(client) == ADMIN_LISTS[role]


@pytest.mark.parametrize("role", ROLES)
def test_no_role_manages_accounts_groups_or_sensitive_data(role):
    user = member_of(role)
    for permission in [
        "participants.view_user",
        "auth.change_group",
        "participants.view_participant",
        "participants.view_sensitive_attributes",
        "participants.view_sensitivedataaccess",
        "engine.view_raw_counts",
    ]:
        assert not user.has_perm(permission), (role, permission)


def test_the_participation_team_runs_a_consultation():
    user = member_of(PARTICIPATION_TEAM)
    client = browser(user)
    response = client.post(
        "/admin/consultations/consultationplan/add/",
        {"year": "2027", "title_es": "Plan de consultas 2027", "summary_es": "Cuatro consultas."},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    for permission in ["consultations.enter_assisted_response", "consultations.moderate_answers"]:
        assert user.has_perm(permission)
    # Reports: the order page opens; read-only lists stay read-only.
    assert client.get("/avisos/reportes/nuevo/").status_code == 200
    assert client.get("/admin/engine/topic/add/").status_code == 403
    assert client.get("/admin/engine/subscription/add/").status_code == 403
    assert client.get("/admin/consultations/response/add/").status_code == 403


def test_content_editors_edit_topics_and_nothing_of_consultations():
    client = browser(member_of(CONTENT_EDITORS))
    response = client.post(
        "/admin/engine/topic/add/",
        {"name_es": "Vivienda", "name_ht": "Lojman", "name_en": "Housing", "slug": "vivienda", "order": "9"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Topic.objects.get(slug="vivienda").name_ht == "Lojman"
    assert client.get("/admin/consultations/consultation/add/").status_code == 403
    assert client.get("/avisos/reportes/nuevo/").status_code == 403


def test_a_role_without_staff_status_or_second_factor_does_not_reach_admin():
    not_staff = browser(member_of(PARTICIPATION_TEAM, is_staff=False))
    response = not_staff.get("/admin/consultations/consultation/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]

    no_mfa = browser(member_of(CONTENT_EDITORS, mfa=False))
    response = no_mfa.get("/admin/engine/topic/")
    assert response.status_code == 302 and response["Location"].endswith("/cuenta/2fa/totp/activate/")


def test_grants_name_existing_permissions_and_can_be_undone():
    with pytest.raises(LookupError, match="engine.fly_topic"):
        grant(apps, CONTENT_EDITORS, ["engine.fly_topic"])
    editors = Group.objects.get(name=CONTENT_EDITORS)
    revoke(apps, CONTENT_EDITORS, ["engine.delete_topic"])
    assert not editors.permissions.filter(codename="delete_topic").exists()
    grant(apps, CONTENT_EDITORS, ["engine.delete_topic"])
    assert editors.permissions.filter(codename="delete_topic").exists()


def test_content_editors_keep_the_register_and_see_the_review_page():
    user = member_of(CONTENT_EDITORS)
    client = browser(user)
    data = {
        "type": "news",
        "slug": "noticia-editora",
        "status": "draft",
        "update_frequency": "",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "budget_rows-TOTAL_FORMS": "0",
        "budget_rows-INITIAL_FORMS": "0",
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
    }
    for field, text in (("title", "Noticia"), ("summary", "Resumen"), ("body", "<p>Texto</p>"),
                        ("responsible_unit", "Comunicaciones")):  # fmt: skip
        data.update({f"{field}_es": text, f"{field}_ht": text, f"{field}_en": text})
    response = client.post("/admin/transparency/publication/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert client.get("/informacion/revision/").status_code == 200
    assert not user.has_perm("transparency.add_publicationversion")  # versions are written by publishing only
