import io

import pytest
from django.core.management import call_command

from cosoc.elections.models import CandidateResult, CategoryResult, Election, Phase
from participants.demo import DEMO_PASSWORD
from participants.organizations.demo import DEMO_REPRESENTATIVE_EMAIL
from tests.helpers import login

pytestmark = pytest.mark.django_db


def test_demo_has_a_finished_election_with_results_and_an_upcoming_one(client, file_storage):
    call_command("load_demo_data", "--allow-without-debug", stdout=io.StringIO())
    finished = Election.objects.get(phase=Phase.RESULTS)
    assert CandidateResult.objects.filter(election=finished, elected=True).count() == 20
    results = CategoryResult.objects.filter(election=finished)
    assert results.count() == 3 and all(0 < r.voted < r.on_roll and r.blank == 1 for r in results)
    assert Election.objects.exclude(pk=finished.pk).get().phase == Phase.REGISTRATION
    counts = (Election.objects.count(), CandidateResult.objects.count())
    call_command("load_demo_data", "--allow-without-debug", stdout=io.StringIO())
    assert (Election.objects.count(), CandidateResult.objects.count()) == counts
    assert client.get(f"/cosoc/elecciones/{finished.pk}/resultados/").status_code == 200
    login(client, DEMO_REPRESENTATIVE_EMAIL, DEMO_PASSWORD)
    page = client.get("/ht/cosoc/organizaciones/mi-organizacion/").content.decode()
    assert "Asociación de Haitianos en Chile" in page
