"""The session state machine, quorum, minutes versions, observations' rules and agreements."""

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from cosoc import selectors, services
from cosoc.models import (
    OBSERVATION_MAX_LENGTH,
    AgreementStatus,
    AttendanceStatus,
    Minutes,
    MinutesStatus,
    Observation,
    SessionStatus,
)
from engine.notifications import Mechanism, subscription_set
from engine.notifications.services import notifications_send
from tests.cosoc.conftest import _member
from tests.cosoc.factories import AgendaItemFactory, AgreementFactory, CouncilFactory, SessionFactory, today
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db


# --- State machine ---------------------------------------------------------------------------------------


def test_an_agenda_without_items_is_not_published(term):
    session = SessionFactory(term=term, title="Sin puntos")
    with pytest.raises(services.Refused, match="no tiene puntos"):
        services.session_publish_agenda(session=session)
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED


def test_the_session_moves_forward_one_state_at_a_time(term):
    session = SessionFactory(term=term, date=today())
    AgendaItemFactory(session=session)
    with pytest.raises(services.Refused, match="tabla publicada"):
        services.session_mark_held(session=session)
    services.session_publish_agenda(session=session)
    assert session.status == SessionStatus.AGENDA_PUBLISHED and session.agenda_changed_at
    with pytest.raises(services.Refused, match="ya fue publicada"):
        services.session_publish_agenda(session=session)
    services.session_mark_held(session=session)
    assert session.status == SessionStatus.HELD


def test_a_future_session_cannot_be_marked_held(in_review):
    with pytest.raises(services.Refused, match="todavía no ocurre"):
        services.session_mark_held(session=in_review)


def test_minutes_of_a_session_not_held_are_refused(in_review):
    with pytest.raises(services.Refused, match="después de realizada"):
        services.minutes_save(minutes=Minutes(session=in_review, body_es="<p>x</p>"))
    # Even a draft slipped in by another road is not approved.
    minutes = Minutes.objects.create(session=in_review, body_es="<p>x</p>")
    with pytest.raises(services.Refused, match="no se ha realizado"):
        services.minutes_approve(minutes=minutes)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.DRAFT


def test_agenda_changes_after_publication_are_dated(in_review):
    before = in_review.agenda_changed_at
    services.session_agenda_changed(session=in_review)
    in_review.refresh_from_db()
    assert in_review.agenda_changed_at > before


# --- Minutes versions ------------------------------------------------------------------------------------


def test_approved_minutes_never_change_and_a_correction_is_a_new_dated_version(approved):
    first = approved.minutes.get()
    first.body_es = "<p>Cambiado a escondidas</p>"
    with pytest.raises(services.Refused, match="no se modifica"):
        services.minutes_save(minutes=first)
    first.refresh_from_db()
    assert first.body_es == "<p>Acta aprobada</p>"

    correction = services.minutes_correct(minutes=first, note="Se corrige el nombre de una organización")
    assert correction.version == 2 and correction.status == MinutesStatus.DRAFT
    assert correction.body_es == "<p>Acta aprobada</p>"
    with pytest.raises(services.Refused, match="Ya hay una corrección"):
        services.minutes_correct(minutes=first)
    correction.body_es = "<p>Acta corregida</p>"
    services.minutes_save(minutes=correction)
    services.minutes_approve(minutes=correction)

    document = selectors.minutes_document(approved)
    assert document.minutes.version == 2
    assert [m.version for m in document.versions] == [2, 1]
    assert selectors.minutes_document(approved, version=1).minutes.body_es == "<p>Acta aprobada</p>"


def test_the_public_minutes_page_shows_versions(client, approved):
    first = approved.minutes.get()
    correction = services.minutes_correct(minutes=first, note="Fe de erratas")
    correction.body_es = "<p>Acta corregida</p>"
    services.minutes_save(minutes=correction)
    services.minutes_approve(minutes=correction)
    page = client.get(approved.get_absolute_url() + "acta/").content.decode()
    assert "Acta corregida" in page and "Fe de erratas" in page and "?version=1" in page
    old = client.get(approved.get_absolute_url() + "acta/?version=1").content.decode()
    assert "Acta aprobada" in old


def test_the_minutes_pdf_is_a_pdf(client, approved):
    response = client.get(approved.get_absolute_url() + "acta.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


# --- Quorum ----------------------------------------------------------------------------------------------


def _held_with(term, present: int, absent: int):
    session = SessionFactory(term=term, date=today() - datetime.timedelta(days=1))
    AgendaItemFactory(session=session)
    services.session_publish_agenda(session=session)
    services.session_mark_held(session=session)
    for number in range(present + absent):
        membership = _member(term, f"q{number}@example.org")
        status = AttendanceStatus.PRESENT if number < present else AttendanceStatus.ABSENT
        services.attendance_record(session=session, membership=membership, status=status)
    return session


def test_quorum_as_a_fraction_of_sitting_members_rounds_up(term):
    session = _held_with(term, present=3, absent=4)  # 7 sitting, half is 3.5 -> 4 needed
    quorum = selectors.session_quorum(session)
    assert (quorum.required, quorum.present, quorum.sitting, quorum.is_met) == (4, 3, 7, False)


def test_quorum_as_a_number(term):
    term.council.quorum_numerator = term.council.quorum_denominator = None
    term.council.quorum_number = 3
    term.council.save()
    session = _held_with(term, present=3, absent=4)
    assert selectors.session_quorum(session).is_met


def test_the_session_page_warns_when_there_was_no_quorum(client, term):
    session = _held_with(term, present=1, absent=3)
    page = client.get(session.get_absolute_url()).content.decode()
    assert "no hubo quórum" in page
    assert "cosoc-warning" in page


def test_the_council_refuses_two_quorum_rules_at_once(db):

    council = CouncilFactory.build(quorum_number=5, quorum_numerator=1, quorum_denominator=2)
    with pytest.raises(ValidationError) as error:
        council.full_clean()
    assert "quorum_number" in error.value.message_dict


def test_attendance_of_another_terms_member_is_refused(term, old_term, in_review):
    other = _member(old_term, "otra@example.org")
    with pytest.raises(services.Refused, match="no integraba"):
        services.attendance_record(session=in_review, membership=other, status=AttendanceStatus.PRESENT)


# --- Observations ----------------------------------------------------------------------------------------


def test_an_observation_is_refused_empty_or_too_long_or_out_of_review(member, in_review, held_with_draft):
    item = in_review.items.get()
    with pytest.raises(services.Refused, match="Escriba su observación"):
        services.observation_post(author=member, item=item, text="   ")
    with pytest.raises(services.Refused, match="demasiado larga"):
        services.observation_post(author=member, item=item, text="x" * (OBSERVATION_MAX_LENGTH + 1))
    with pytest.raises(services.Refused, match="no está en revisión"):
        services.observation_post(author=member, item=held_with_draft.items.get(), text="Tarde")
    assert not Observation.objects.exists()


def test_members_comment_on_the_shared_draft_and_replies_stay_in_one_thread(
    member, secretary, held_with_draft
):
    draft = held_with_draft.minutes.get()
    comment = services.observation_post(author=member, minutes=draft, text="Falta mi intervención")
    reply = services.observation_post(author=secretary, minutes=draft, parent=comment, text="Agregada")
    reply_to_reply = services.observation_post(author=member, minutes=draft, parent=reply, text="Gracias")
    assert reply.parent == comment and reply_to_reply.parent == comment
    assert "secretaría ejecutiva" in reply.author_name


def test_the_review_page_refuses_bad_input_with_a_translated_message(member, in_review):

    browser = logged_in(member)
    url = f"/cosoc/sesiones/{in_review.pk}/revision/observar/"
    item = in_review.items.get()
    response = browser.post(url, {"target": f"item-{item.pk}", "text": ""}, follow=True)
    assert "Escriba su observación antes de enviarla." in response.content.decode()
    response = browser.post(url, {"target": f"item-{item.pk}", "text": "y" * 2001}, follow=True)
    assert "demasiado larga" in response.content.decode()
    assert not Observation.objects.exists()


# --- Notifications ---------------------------------------------------------------------------------------


def test_publishing_the_agenda_tells_members_in_their_language_with_the_review_link(term, alice):
    haitian = _member(term, "ayisyen@example.org").user
    haitian.preferred_language = "ht"
    haitian.save()
    subscription_set(user=alice, target=Mechanism.COSOC)
    session = SessionFactory(term=term, title_es="Sesión de marzo", title_ht="Sesyon mas")
    AgendaItemFactory(session=session)
    services.session_publish_agenda(session=session)
    notifications_send()
    by_recipient = {message.to[0]: message for message in mail.outbox}
    member_mail = by_recipient["ayisyen@example.org"]
    assert "Sesyon mas" in member_mail.subject + member_mail.body
    assert f"/ht/cosoc/sesiones/{session.pk}/revision/" in member_mail.body
    follower_mail = by_recipient["alice@example.org"]
    assert "revision" not in follower_mail.body
    assert f"/cosoc/sesiones/{session.pk}/" in follower_mail.body


# --- Agreements ------------------------------------------------------------------------------------------


def test_bulk_status_and_progress(approved):
    first, second = AgreementFactory(session=approved), AgreementFactory(session=approved)
    assert services.agreements_set_status(agreements=[first, second], status=AgreementStatus.DONE) == 2
    assert services.agreements_set_status(agreements=[first], status=AgreementStatus.DONE) == 0
    with pytest.raises(services.Refused):
        services.agreements_set_status(agreements=[first], status="bogus")
    with pytest.raises(services.Refused):
        services.agreement_progress_add(agreement=first, text=" ")
    services.agreement_progress_add(agreement=first, text="Informe enviado")
    assert first.progress.get().text == "Informe enviado"


def test_the_tracker_summarises_filters_and_highlights_overdue(client, approved):
    AgreementFactory(session=approved, status=AgreementStatus.DONE, text="Hecho")
    AgreementFactory(session=approved, due_date=today() - datetime.timedelta(days=3), text="Atrasado uno")
    page = client.get("/cosoc/acuerdos/").content.decode()
    assert "1 de 3 acuerdos cumplidos" in page
    assert "cosoc-overdue" in page and "1 atrasado" in page
    done = client.get("/cosoc/acuerdos/?estado=done").content.decode()
    assert "Hecho" in done and "Atrasado uno" not in done
    assert "Hecho" not in client.get(f"/cosoc/acuerdos/?anio={today().year + 5}").content.decode()
    # Junk filters are ignored, not errors.
    assert client.get("/cosoc/acuerdos/?estado=<x>&sesion=abc&anio=20x6").status_code == 200


def test_exports_neutralise_formulas(client, approved):
    AgreementFactory(session=approved, text='=HYPERLINK("http://x")', responsible="@evil")
    csv_text = client.get("/cosoc/acuerdos/acuerdos.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "'@evil" in csv_text

    workbook = load_workbook(io.BytesIO(client.get("/cosoc/acuerdos/acuerdos.xlsx").content))
    values = [cell.value for row in workbook.active.iter_rows() for cell in row]
    assert '\'=HYPERLINK("http://x")' in values
    assert client.get("/cosoc/acuerdos/acuerdos.pdf").status_code == 404
