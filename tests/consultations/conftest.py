import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission
from django.test import Client

from consultations import services
from consultations.models import Phase
from participants.forms import ParticipantAttributesForm
from tests.consultations.factories import (
    ConsultationFactory,
    Questionnaire,
    build_questionnaire,
    complete_answers,
)


def grant(user, *codenames: str):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    # Django caches permissions on the instance.
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)
    return user


def verified(user):
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


@pytest.fixture
def open_questionnaire(db) -> Questionnaire:
    """Open now, three sections covering every kind of question, with two conditional questions."""
    return build_questionnaire(ConsultationFactory(title="Política Nacional Migratoria", slug="politica"))


@pytest.fixture
def closed_questionnaire(db) -> Questionnaire:
    return build_questionnaire(ConsultationFactory(closed=True, slug="cerrada"))


@pytest.fixture
def unpublished_questionnaire(db) -> Questionnaire:
    return build_questionnaire(ConsultationFactory(is_published=False, slug="borrador"))


@pytest.fixture
def results_questionnaire(db) -> Questionnaire:
    """Closed, with results published two days ago."""
    return build_questionnaire(ConsultationFactory(with_results=True, slug="con-resultados"))


def logged_in(user) -> Client:
    """A browser of its own, so two people can act in one test."""
    browser = Client()
    browser.force_login(verified(user))
    return browser


@pytest.fixture
def alice_client(alice) -> Client:
    return logged_in(alice)


@pytest.fixture
def bob_client(bob) -> Client:
    return logged_in(bob)


@pytest.fixture
def alice_draft(open_questionnaire, alice):
    """Alice saved section 1 and stopped there."""
    response = services.response_get_or_create(
        consultation=open_questionnaire.consultation, participant=alice.participant
    )
    answers = complete_answers(open_questionnaire)
    section_1 = {q: v for q, v in answers.items() if q.section_id == open_questionnaire.sections[0].pk}
    services.response_save_answers(response=response, answers=section_1)
    return response


def close(consultation) -> None:
    consultation.phase_override = Phase.CLOSED
    consultation.save(update_fields=["phase_override"])


def review_data(participant=None, **overrides) -> dict:
    """What a browser posts from the review page: the profile questions as pre-filled, plus the CSRF token."""
    form = ParticipantAttributesForm(instance=participant, prefix="perfil")
    data = {"csrfmiddlewaretoken": "token"}
    for name in form.fields:
        value = form[name].value()
        if value not in (None, "", False, []):
            data[form.add_prefix(name)] = value
    data.update({f"perfil-{name}": value for name, value in overrides.items()})
    return data


def publish_report(consultation, fmt: str, *, by, raw: bool = False):
    """Build the systematisation report the way staff order it in the engine (synchronously here)."""
    from consultations.reports import CONSULTATION_RESULTS
    from engine.reports.services import report_job_build, report_job_start

    parameters = {"consultation": consultation.pk, **({"raw": True} if raw else {})}
    job = report_job_start(
        kind=CONSULTATION_RESULTS, requested_by=by, parameters=parameters, format=fmt, enqueue_build=False
    )
    return report_job_build(job_id=job.pk, notify_requester=False)
