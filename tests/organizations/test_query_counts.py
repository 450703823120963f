"""The public list and the dashboard cost a fixed number of queries, whatever the number of organisations."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.helpers import logged_in
from tests.organizations.factories import DocumentFactory, OrganizationFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db


def count_queries(browser, url: str) -> int:
    browser.get(url)
    with CaptureQueriesContext(connection) as context:
        response = browser.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "url", ["/cosoc/organizaciones/", "/cosoc/organizaciones/?q=org&category=1&region=CL-RM"]
)
def test_registry_list(client, settings, url):
    settings.REGISTRY_PAGE_SIZE = 200
    OrganizationFactory.create_batch(10, accredited=True)
    few = count_queries(client, url)
    OrganizationFactory.create_batch(90, accredited=True)
    OrganizationFactory.create_batch(10)  # applications are not listed
    assert count_queries(client, url) == few


def test_dashboard(rosa, file_storage):
    browser = logged_in(rosa)
    for _ in range(2):
        RepresentativeFactory(user=rosa, organization=DocumentFactory().organization)
    few = count_queries(browser, reverse("organizations:dashboard"))
    for _ in range(8):
        organization = DocumentFactory().organization
        DocumentFactory(organization=organization)
        RepresentativeFactory(user=rosa, organization=organization)
        RepresentativeFactory(organization=organization)
    assert count_queries(browser, reverse("organizations:dashboard")) == few
