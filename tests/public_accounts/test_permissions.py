"""Who may see and do what, on every page and every POST: anonymous, the author (Alice), another citizen
(Bob), a member of the answering unit, staff without permission, and the participation team."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from participants.roles import ANSWERING_UNIT, PARTICIPATION_TEAM
from public_accounts import services
from public_accounts.models import AnswerState, PublicAccount, Question, Status
from tests.factories import UserFactory
from tests.helpers import admin_form_data, enable_mfa, logged_in
from tests.public_accounts.factories import QuestionFactory, answered

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "alice", "bob", "unit", "staff", "team"]
LOGIN = "login"


@pytest.fixture
def unit_group(db):
    return Group.objects.create(name="Departamento de Extranjería")


@pytest.fixture
def browsers(alice, bob, staff_member, unit_group) -> dict[str, Client]:
    unit_member = UserFactory(email="unidad@example.org", is_staff=True)
    unit_member.groups.add(Group.objects.get(name=ANSWERING_UNIT), unit_group)
    team = UserFactory(email="equipo-pc@example.org", is_staff=True)
    team.groups.add(Group.objects.get(name=PARTICIPATION_TEAM))
    return {
        "anonymous": Client(),
        "alice": logged_in(alice),
        "bob": logged_in(bob),
        "unit": logged_in(enable_mfa(unit_member)),
        "staff": logged_in(enable_mfa(staff_member)),
        "team": logged_in(enable_mfa(team)),
    }


@pytest.fixture
def world(account, draft_account, alice, unit_group):
    pending = QuestionFactory(account=account, participant=alice.participant, text="¿Pendiente?")
    rejected = QuestionFactory(account=account, participant=alice.participant, text="¿Rechazada?")
    services.question_moderate(question=rejected, status=Status.REJECTED, reason="Datos personales")
    accepted = QuestionFactory(
        account=account, participant=alice.participant, accepted=True, text="¿Aceptada?"
    )
    services.question_assign(question=accepted, unit=unit_group)
    other_unit = QuestionFactory(account=account, accepted=True, text="¿De otra unidad?")
    return {
        "year": account.year,
        "draft": draft_account.year,
        "pending": pending.pk,
        "rejected": rejected.pk,
        "accepted": accepted.pk,
        "other_unit": other_unit.pk,
    }


GET_CASES = [
    ("public_accounts:index", {}, [200, 200, 200, 200, 200, 200]),
    ("public_accounts:ical", {}, [200, 200, 200, 200, 200, 200]),
    ("public_accounts:detail", {"year": "year"}, [200, 200, 200, 200, 200, 200]),
    ("public_accounts:detail", {"year": "draft"}, [404, 404, 404, 404, 404, 200]),
    ("public_accounts:ask", {"year": "year"}, [200, 200, 200, 200, 200, 200]),
    ("public_accounts:ask", {"year": "draft"}, [404, 404, 404, 404, 404, 200]),
    ("public_accounts:email-start", {"year": "draft"}, [404, 404, 404, 404, 404, 200]),
    ("public_accounts:question", {"year": "year", "pk": "pending"}, [404, 200, 404, 404, 404, 200]),
    ("public_accounts:question", {"year": "year", "pk": "rejected"}, [404, 200, 404, 404, 404, 200]),
    ("public_accounts:question", {"year": "year", "pk": "accepted"}, [200, 200, 200, 200, 200, 200]),
    ("public_accounts:question", {"year": "draft", "pk": "accepted"}, [404, 404, 404, 404, 404, 404]),
    ("public_accounts:my-questions", {}, [LOGIN, 200, 200, 200, 200, 200]),
    ("public_accounts:answers", {"year": "year"}, [404, 404, 404, 404, 404, 404]),
    ("public_accounts:budget", {"year": "draft", "fmt": "csv"}, [404, 404, 404, 404, 404, 200]),
    ("public_accounts:in-person", {"year": "year"}, [LOGIN, 404, 404, 404, 404, 200]),
]


def resolve(world, kwargs: dict) -> dict:
    return {
        key: world[value] if isinstance(value, str) and value in world else value
        for key, value in kwargs.items()
    }


def outcome(response):
    if response.status_code == 302 and reverse("account_login") in response["Location"]:
        return LOGIN
    return response.status_code


@pytest.mark.parametrize(("name", "kwargs", "expected"), GET_CASES, ids=lambda v: str(v))
def test_get(world, browsers, name, kwargs, expected):
    url = reverse(name, kwargs=resolve(world, kwargs))
    assert [outcome(browsers[p].get(url)) for p in PERSONAS] == expected


def test_anonymous_post_stores_nothing_and_follow_needs_sign_in(world, browsers):
    url = reverse("public_accounts:ask", kwargs={"year": world["year"]})
    browsers["anonymous"].post(
        url, {"kind": "question", "topic": "x", "text": "¿Sin cuenta?", "language": "es"}
    )
    assert not Question.objects.filter(text="¿Sin cuenta?").exists()
    follow = reverse("public_accounts:follow", kwargs={"year": world["year"]})
    assert outcome(browsers["anonymous"].post(follow)) == LOGIN
    assert browsers["bob"].post(follow).status_code == 302
    assert browsers["bob"].get(follow).status_code == 405


def test_in_person_post_only_by_the_team(world, browsers):
    url = reverse("public_accounts:in-person", kwargs={"year": world["year"]})
    form = {
        "kind": "question",
        "topic": "Trabajo",
        "text": "¿Puedo trabajar?",
        "language": "es",
        "contact": "",
    }
    for persona in ("alice", "bob", "unit", "staff"):
        assert browsers[persona].post(url, form).status_code == 404
    assert not Question.objects.filter(text="¿Puedo trabajar?").exists()
    assert browsers["team"].post(url, form).status_code == 302
    question = Question.objects.get(text="¿Puedo trabajar?")
    assert question.channel == "in_person" and question.participant.user is None


def _change_url(pk):
    return reverse("admin:public_accounts_question_change", args=[pk])


def test_admin_changelist_shows_each_person_what_they_handle(world, browsers):
    url = reverse("admin:public_accounts_question_changelist")
    team = browsers["team"].get(url).content.decode()
    assert "¿Pendiente?" in team and "¿De otra unidad?" in team
    unit = browsers["unit"].get(url).content.decode()
    assert "¿Aceptada?" in unit and "¿Pendiente?" not in unit and "¿De otra unidad?" not in unit
    assert browsers["staff"].get(url).status_code == 403
    assert browsers["unit"].get(_change_url(world["other_unit"])).status_code == 302  # not theirs: not found
    assert browsers["staff"].get(_change_url(world["accepted"])).status_code in (302, 403)


def test_unit_drafts_but_cannot_moderate_or_approve(world, browsers):
    url = _change_url(world["accepted"])
    data = admin_form_data(browsers["unit"].get(url))
    data.update(
        {
            "answer_es": "Respuesta de la unidad.",
            "approve": "on",
            "status": "rejected",
            "rejection_reason_es": "no",
        }
    )
    response = browsers["unit"].post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    question = Question.objects.get(pk=world["accepted"])
    assert question.status == Status.ACCEPTED
    assert question.answer_es == "Respuesta de la unidad." and question.answer_state == AnswerState.DRAFT


def test_team_moderates_assigns_approves_and_notes(world, browsers, unit_group):
    url = _change_url(world["pending"])
    data = admin_form_data(browsers["team"].get(url))
    data.update({"status": "accepted", "unit": unit_group.pk, "new_note": "Ver con Extranjería."})
    assert browsers["team"].post(url, data).status_code == 302
    question = Question.objects.get(pk=world["pending"])
    assert question.status == Status.ACCEPTED and question.unit == unit_group and question.due_date
    assert question.notes.get().text == "Ver con Extranjería."
    data = admin_form_data(browsers["team"].get(url))
    data.update({"answer_es": "Respuesta.", "approve": "on"})
    assert browsers["team"].post(url, data).status_code == 302
    question.refresh_from_db()
    assert question.answer_state == AnswerState.APPROVED


def test_admin_rejection_without_reason_is_refused_beside_the_field(world, browsers):
    url = _change_url(world["pending"])
    data = admin_form_data(browsers["team"].get(url))
    data.update({"status": "rejected", "rejection_reason_es": ""})
    response = browsers["team"].post(url, data)
    assert response.status_code == 200
    assert "Escriba el motivo del rechazo" in response.content.decode()
    assert Question.objects.get(pk=world["pending"]).status == Status.PENDING


def test_publish_action_needs_its_permission(world, browsers, unit_group):
    answered(Question.objects.get(pk=world["accepted"]))
    url = reverse("admin:public_accounts_publicaccount_changelist")
    account = PublicAccount.objects.get(year=world["year"])
    post = {"action": "publish_answers", "_selected_action": [account.pk]}
    assert browsers["unit"].post(url, post).status_code == 403
    assert browsers["team"].post(url, post).status_code == 302
    account.refresh_from_db()
    assert account.answers_published_at is not None
    assert Client().get(reverse("public_accounts:answers", kwargs={"year": account.year})).status_code == 200
    pdf = Client().get(reverse("public_accounts:answers-pdf", kwargs={"year": account.year, "version": 1}))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
