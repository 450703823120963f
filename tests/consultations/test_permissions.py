"""Who may see and do what, on every page and every POST: anonymous, citizen A, citizen B, staff without
permission."""

import pytest
from django.test import Client
from django.urls import reverse

from consultations import services
from consultations.models import Response, TopicProposal
from engine.models import ReportStatus
from engine.reports.services import ReportNotPublishable, report_job_publish
from tests.consultations.factories import (
    ConsultationFactory,
    ConsultationPlanFactory,
    ProposalCallFactory,
    build_questionnaire,
    complete_answers,
)
from tests.helpers import build_report, enable_mfa, logged_in, publish_report, review_data

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "alice", "bob", "staff"]


@pytest.fixture
def browsers(alice, bob, staff_member) -> dict[str, Client]:
    return {
        "anonymous": Client(),
        "alice": logged_in(alice),
        "bob": logged_in(bob),
        "staff": logged_in(enable_mfa(staff_member)),
    }


@pytest.fixture
def world(open_questionnaire, unpublished_questionnaire, closed_questionnaire, alice, admin_user):
    """Alice has a draft in the open consultation and has submitted another; one consultation has public
    results and a published report."""
    services.response_get_or_create(
        consultation=open_questionnaire.consultation, participant=alice.participant
    )
    answered = build_questionnaire(ConsultationFactory(slug="respondida"))
    response = services.response_get_or_create(
        consultation=answered.consultation, participant=alice.participant
    )
    services.response_save_answers(response=response, answers=complete_answers(answered))
    services.response_submit(response=response)
    with_results = build_questionnaire(ConsultationFactory(with_results=True, slug="con-resultados"))
    publish_report(with_results.consultation, "csv", by=admin_user)
    publish_report(closed_questionnaire.consultation, "csv", by=admin_user)
    return {
        "open": open_questionnaire.slug,
        "answered": answered.slug,
        "unpublished": unpublished_questionnaire.slug,
        "closed": closed_questionnaire.slug,
        "results": with_results.slug,
        "plan": ConsultationPlanFactory(year=2031).year,
        "hidden_plan": ConsultationPlanFactory(year=2032, published_at=None).year,
    }


LOGIN = "login"
AWAY = "redirected away"  # any redirect: there is nothing of theirs to show
GET_CASES = [
    # (url name, kwargs key(s), expected for anonymous, alice, bob, staff without permission)
    ("consultations:index", {}, [200, 200, 200, 200]),
    ("consultations:dialogues-ical", {}, [200, 200, 200, 200]),
    ("consultations:plan", {"year": "plan"}, [200, 200, 200, 200]),
    ("consultations:plan", {"year": "hidden_plan"}, [404, 404, 404, 404]),
    ("consultations:detail", {"slug": "open"}, [200, 200, 200, 200]),
    ("consultations:detail", {"slug": "unpublished"}, [404, 404, 404, 404]),
    ("consultations:answer", {"slug": "open", "step": 1}, [LOGIN, 200, 200, 200]),
    ("consultations:answer", {"slug": "open", "step": 4}, [404, 404, 404, 404]),
    ("consultations:answer", {"slug": "unpublished", "step": 1}, [404, 404, 404, 404]),
    ("consultations:review", {"slug": "open"}, [LOGIN, 200, AWAY, AWAY]),
    ("consultations:review", {"slug": "unpublished"}, [404, 404, 404, 404]),
    ("consultations:thanks", {"slug": "answered"}, [404, 200, 404, 404]),
    ("consultations:thanks", {"slug": "open"}, [404, 404, 404, 404]),
    ("consultations:anonymous-start", {"slug": "open"}, [404, 404, 404, 404]),
    ("consultations:results", {"slug": "results"}, [200, 200, 200, 200]),
    ("consultations:results", {"slug": "closed"}, [404, 404, 404, 404]),
    ("consultations:results", {"slug": "open"}, [404, 404, 404, 404]),
    ("consultations:results", {"slug": "unpublished"}, [404, 404, 404, 404]),
    ("consultations:published-report", {"slug": "results", "fmt": "csv"}, [200, 200, 200, 200]),
    ("consultations:published-report", {"slug": "results", "fmt": "pdf"}, [404, 404, 404, 404]),
    ("consultations:published-report", {"slug": "closed", "fmt": "csv"}, [404, 404, 404, 404]),
    ("consultations:assisted", {"slug": "open"}, [LOGIN, 403, 403, 403]),
]


def resolve(world, kwargs: dict) -> dict:
    return {
        key: world.get(value, value) if isinstance(value, str) else value for key, value in kwargs.items()
    }


def outcome(response, expected=None):
    if response.status_code == 302 and expected == AWAY:
        return AWAY
    if response.status_code == 302 and reverse("account_login") in response["Location"]:
        return LOGIN
    return response.status_code


@pytest.mark.parametrize(("name", "kwargs", "expected"), GET_CASES, ids=lambda v: str(v))
def test_get(world, browsers, name, kwargs, expected):
    url = reverse(name, kwargs=resolve(world, kwargs))
    assert [outcome(browsers[p].get(url), e) for p, e in zip(PERSONAS, expected, strict=True)] == expected


def test_a_report_with_raw_counts_is_never_public(world, admin_user):
    consultation = ConsultationFactory(with_results=True, slug="cruda")
    job = build_report(consultation, "xlsx", by=admin_user, raw=True)
    assert job.status == ReportStatus.DONE and job.file.size
    with pytest.raises(ReportNotPublishable):
        report_job_publish(job=job, by=enable_mfa(admin_user))
    url = reverse("consultations:published-report", kwargs={"slug": "cruda", "fmt": "xlsx"})
    assert Client().get(url).status_code == 404
    publish_report(consultation, "xlsx", by=admin_user)
    assert Client().get(url).status_code == 200


def test_answer_and_review_posts(world, browsers, open_questionnaire, alice):
    qn = open_questionnaire
    answer = reverse("consultations:answer", kwargs={"slug": qn.slug, "step": 1})
    review = reverse("consultations:review", kwargs={"slug": qn.slug})
    data = {f"q{qn.q['atendido'].pk}": str(qn.o["No"].pk), "action": "save"}

    assert outcome(browsers["anonymous"].post(answer, data)) == LOGIN
    assert outcome(browsers["anonymous"].post(review, review_data())) == LOGIN
    assert outcome(browsers["bob"].post(review, review_data()), AWAY) == AWAY  # nothing to submit
    assert browsers["bob"].post(answer, data).status_code == 302  # bob's own draft
    assert browsers["staff"].post(answer, data).status_code == 302  # staff take part as anyone else

    alices = Response.objects.get(consultation=qn.consultation, participant=alice.participant)
    assert not alices.answers.exists()
    assert Response.objects.filter(consultation=qn.consultation).count() == 3
    assert (
        Response.objects.filter(consultation=qn.consultation, status=Response.Status.SUBMITTED).count() == 0
    )


def test_unpublished_consultation_posts_are_404(world, browsers, unpublished_questionnaire):
    qn = unpublished_questionnaire
    answer = reverse("consultations:answer", kwargs={"slug": qn.slug, "step": 1})
    data = {f"q{qn.q['atendido'].pk}": str(qn.o["No"].pk), "action": "save"}
    assert [browsers[p].post(answer, data).status_code for p in PERSONAS] == [404] * 4
    assert not Response.objects.filter(consultation=qn.consultation).exists()


def test_a_draft_of_a_consultation_taken_offline_is_404_for_its_author(world, browsers, open_questionnaire):
    """Unpublishing hides the answering pages from everyone, also from people who already have a draft."""
    qn = open_questionnaire
    urls = [
        reverse("consultations:answer", kwargs={"slug": qn.slug, "step": 1}),
        reverse("consultations:review", kwargs={"slug": qn.slug}),
        reverse("consultations:thanks", kwargs={"slug": qn.slug}),
    ]
    assert browsers["alice"].get(urls[0]).status_code == 200
    qn.consultation.is_published = False
    qn.consultation.save()
    assert [browsers["alice"].get(url).status_code for url in urls] == [404] * 3
    assert browsers["alice"].post(urls[1], review_data()).status_code == 404
    assert Response.objects.get(consultation=qn.consultation).status == Response.Status.DRAFT


def test_proposal_post_requires_login(world, browsers, alice):
    call = ProposalCallFactory()
    url = reverse("consultations:proposal-call", kwargs={"pk": call.pk})
    data = {"title": "Salud mental", "description": "Hace falta apoyo en creole."}
    assert outcome(browsers["anonymous"].post(url, data)) == LOGIN
    assert not TopicProposal.objects.exists()
    assert browsers["alice"].post(url, data).status_code == 302
    assert TopicProposal.objects.get().participant == alice.participant


def test_unpublished_proposal_call_is_404(world, browsers):
    call = ProposalCallFactory(is_published=False)
    url = reverse("consultations:proposal-call", kwargs={"pk": call.pk})
    assert [browsers[p].get(url).status_code for p in PERSONAS] == [404] * 4
    assert browsers["alice"].post(url, {"title": "x", "description": "y"}).status_code == 404
    assert not TopicProposal.objects.exists()
