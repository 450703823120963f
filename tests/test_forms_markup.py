"""The shared form partials: labelled fields and an error summary that links to each field."""

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import translation


class SampleForm(forms.Form):
    email = forms.EmailField(label="Correo electrónico", help_text="Le escribiremos aquí.")
    commune = forms.CharField(label="Comuna", required=False)


@pytest.fixture
def invalid_form():
    form = SampleForm(data={"email": "not-an-email"})
    assert not form.is_valid()
    return form


def test_error_summary_links_to_the_field(invalid_form):
    with translation.override("es"):
        html = render_to_string("includes/form_errors.html", {"form": invalid_form})
    assert 'role="alert"' in html
    assert 'href="#id_email"' in html
    assert "Corrija lo siguiente" in html


def test_field_is_labelled_and_described(invalid_form):
    html = render_to_string("includes/field.html", {"field": invalid_form["email"]})
    assert '<label for="id_email">' in html
    assert 'id="id_email"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="id_email_helptext"' in html
    assert "aria-describedby" in html


def test_optional_fields_say_so():
    with translation.override("es"):
        html = render_to_string("includes/field.html", {"field": SampleForm()["commune"]})
    assert "(opcional)" in html


def test_no_summary_without_errors():
    assert render_to_string("includes/form_errors.html", {"form": SampleForm()}).strip() == ""
