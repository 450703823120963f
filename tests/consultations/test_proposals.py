"""The yearly plan and the call for topic proposals."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.models import TopicProposal
from tests.consultations.factories import (
    ConsultationFactory,
    ConsultationPlanFactory,
    ProposalCallFactory,
    TopicProposalFactory,
)

pytestmark = pytest.mark.django_db

PROPOSAL = {"title": "Salud mental de personas migrantes", "description": "Falta atención en creole."}


def call_url(call) -> str:
    return reverse("consultations:proposal-call", kwargs={"pk": call.pk})


def test_a_citizen_proposes_a_topic_while_the_call_is_open(alice, alice_client):
    call = ProposalCallFactory()
    page = alice_client.get(call_url(call))
    assert 'name="title"' in page.content.decode()

    sent = alice_client.post(call_url(call), PROPOSAL)

    assert sent.status_code == 302
    proposal = TopicProposal.objects.get()
    assert (proposal.call, proposal.participant, proposal.title) == (
        call,
        alice.participant,
        PROPOSAL["title"],
    )
    assert proposal.status == TopicProposal.Status.RECEIVED
    assert any("Recibimos su propuesta" in str(m) for m in get_messages(sent.wsgi_request))


@pytest.mark.parametrize(
    "window",
    [
        {"opens_at": timezone.now() + timedelta(days=1), "closes_at": timezone.now() + timedelta(days=9)},
        {"opens_at": timezone.now() - timedelta(days=9), "closes_at": timezone.now() - timedelta(seconds=1)},
    ],
    ids=["not yet", "over"],
)
def test_outside_the_window_proposals_are_refused_with_a_message(alice_client, window):
    call = ProposalCallFactory(**window)
    page = alice_client.get(call_url(call)).content.decode()
    assert 'name="title"' not in page
    assert "La convocatoria no está abierta." in page

    refused = alice_client.post(call_url(call), PROPOSAL)

    assert refused.status_code == 302
    assert any("no está abierta" in str(m) for m in get_messages(refused.wsgi_request))
    assert not TopicProposal.objects.exists()


def test_the_service_refuses_a_closed_call_too(alice):
    call = ProposalCallFactory(closes_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(services.ConsultationClosed):
        services.topic_proposal_create(call=call, participant=alice.participant, **PROPOSAL)


def test_the_same_proposal_sent_again_is_stored_once(alice, alice_client):
    call = ProposalCallFactory()
    first = alice_client.post(call_url(call), PROPOSAL)
    again = alice_client.post(call_url(call), PROPOSAL)

    assert first.status_code == again.status_code == 302
    assert any("Recibimos su propuesta" in str(m) for m in get_messages(again.wsgi_request))
    assert TopicProposal.objects.get().description == PROPOSAL["description"]


def test_the_same_title_with_another_description_is_refused_with_a_message(alice, alice_client, bob_client):
    call = ProposalCallFactory()
    alice_client.post(call_url(call), PROPOSAL)

    refused = alice_client.post(call_url(call), {**PROPOSAL, "description": "Otra explicación."})

    assert refused.status_code == 200
    assert refused.context["form"].errors["title"] == [
        "Ya envió una propuesta con este tema. Escriba otro tema."
    ]
    assert TopicProposal.objects.get().description == PROPOSAL["description"]
    # Another person may propose the same topic.
    assert bob_client.post(call_url(call), PROPOSAL).status_code == 302
    assert TopicProposal.objects.count() == 2


def test_invalid_proposal_is_refused(alice_client):
    call = ProposalCallFactory()
    refused = alice_client.post(call_url(call), {"title": "", "description": "x" * 2001})
    assert refused.status_code == 200
    assert set(refused.context["form"].errors) == {"title", "description"}
    assert not TopicProposal.objects.exists()


def test_published_decisions_are_listed_with_cosocs_opinion(client):
    call = ProposalCallFactory()
    TopicProposalFactory(
        call=call,
        title="Vivienda",
        status=TopicProposal.Status.ACCEPTED,
        decision="Se consultará en 2027.",
        cosoc_opinion="El COSOC apoya la propuesta.",
        decision_published_at=timezone.now(),
    )
    TopicProposalFactory(call=call, title="Propuesta sin decisión publicada", decision="Borrador interno")
    html = client.get(call_url(call)).content.decode()
    assert "Vivienda" in html
    assert "Se consultará en 2027." in html and "El COSOC apoya la propuesta." in html
    assert "Propuesta sin decisión publicada" not in html and "Borrador interno" not in html


def test_the_plan_lists_its_published_consultations(client):
    plan = ConsultationPlanFactory(title="Plan de consultas 2031")
    ConsultationFactory(plan=plan, title="Consulta sobre salud")
    ConsultationFactory(plan=plan, title="Consulta aún no publicada", is_published=False)
    html = client.get(reverse("consultations:plan", kwargs={"year": plan.year})).content.decode()
    assert "Plan de consultas 2031" in html
    assert "Consulta sobre salud" in html
    assert "Consulta aún no publicada" not in html
