import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_email_is_the_login_and_is_normalised(password):
    user = User.objects.create_user(email="Marie.Joseph@Example.ORG", password=password)
    assert user.email == "marie.joseph@example.org"
    assert authenticate(email="marie.joseph@example.org", password=password) == user
    assert authenticate(email="marie.joseph@example.org", password="wrong password") is None


def test_email_is_unique(password):
    User.objects.create_user(email="a@example.org", password=password)
    with pytest.raises(IntegrityError):
        User.objects.create_user(email="A@example.org", password=password)


def test_preferred_language_defaults_to_spanish(password):
    assert User.objects.create_user(email="b@example.org", password=password).preferred_language == "es"


def test_superuser_is_staff(password):
    admin = User.objects.create_superuser(email="root@example.org", password=password)
    assert admin.is_staff and admin.is_superuser


def test_roles_are_created_by_migration():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Participation team", "Content editors", "COSOC secretary", "Answering unit"} <= names


def test_display_name_is_escaped_in_admin(admin_client):
    user = User.objects.create_user(email="x@example.org", name="<script>alert(1)</script>")
    response = admin_client.get(f"/admin/participants/user/{user.pk}/change/")
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content
