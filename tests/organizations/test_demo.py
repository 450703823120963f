import io

import pytest
from django.core.management import call_command

from participants.choices import OrganizationStatus
from participants.demo import DEMO_PASSWORD
from participants.models import Organization
from participants.organizations.demo import DEMO_REPRESENTATIVE_EMAIL
from tests.helpers import login

pytestmark = pytest.mark.django_db


def test_the_demo_registry_has_every_category_several_regions_and_a_pending_application(client, file_storage):
    out = io.StringIO()
    call_command("load_demo_data", "--allow-without-debug", stdout=out)
    accredited = Organization.objects.accredited()
    assert set(accredited.values_list("category", flat=True)) == {1, 2, 3}
    assert accredited.values("region").distinct().count() >= 5
    assert Organization.objects.filter(status=OrganizationStatus.APPLIED).count() == 1
    count = Organization.objects.count()
    call_command("load_demo_data", "--allow-without-debug", stdout=io.StringIO())
    assert Organization.objects.count() == count
    assert DEMO_REPRESENTATIVE_EMAIL in out.getvalue()
    login(client, DEMO_REPRESENTATIVE_EMAIL, DEMO_PASSWORD)
    page = client.get("/ht/cosoc/organizaciones/mi-organizacion/")
    assert page.status_code == 200
    assert "Asociación de Haitianos en Chile" in page.content.decode()
