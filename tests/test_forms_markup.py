"""The shared form partials: labelled fields and an error summary that links to each field."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
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


class ChoicesForm(forms.Form):
    country = forms.ChoiceField(
        label="País",
        choices=[("", "---------"), ("CL", "Chile"), ("HT", 'Haití <"Ayiti"> & más')],
        initial="HT",
    )
    grouped = forms.MultipleChoiceField(
        label="Agrupado",
        choices=[("Sur", [(1, "Uno"), (2, "Dos")]), ("Norte", [(3, "Tres & cuatro")]), (4, "Suelto")],
        initial=[2, 3],
        widget=forms.SelectMultiple(attrs={"class": "wide", "disabled": True}),
    )
    region = forms.TypedChoiceField(
        label="Región", choices=[(13, "Metropolitana")], coerce=int, disabled=True
    )


@pytest.mark.parametrize("name", ["country", "grouped", "region"])
def test_selects_are_written_as_djangos_own_templates_write_them(name):
    """The project's select.html writes options in Python (engine/templatetags/engine_forms.py): same markup,
    same escaping, same selected and boolean attributes as Django's select_option.html."""
    ours = str(ChoicesForm()[name])
    djangos = str(ChoicesForm(renderer=DjangoTemplates())[name])
    assert ours == djangos
    assert "<option" in ours
