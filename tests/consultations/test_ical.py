"""The iCal feed of in-person dialogues: the past twelve months and what is planned, bounded."""

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.consultations.factories import ConsultationFactory, DialogueFactory

pytestmark = pytest.mark.django_db


def test_feed_lists_the_last_year_and_upcoming_dialogues_of_published_consultations_only(client):
    consultation = ConsultationFactory(title="Política migratoria")
    soon = DialogueFactory(
        consultation=consultation,
        title="Diálogo en Antofagasta",
        commune="Antofagasta",
        place="Centro Cultural",
        starts_at=timezone.now() + timedelta(days=7),
    )
    DialogueFactory(
        consultation=consultation, title="Diálogo en curso", starts_at=timezone.now() - timedelta(hours=1)
    )
    DialogueFactory(
        consultation=consultation, title="Diálogo pasado", starts_at=timezone.now() - timedelta(days=7)
    )
    DialogueFactory(
        consultation=consultation,
        title="Diálogo de hace más de un año",
        starts_at=timezone.now() - timedelta(days=400),
    )
    DialogueFactory(
        consultation=ConsultationFactory(is_published=False), title="Diálogo de una consulta no publicada"
    )

    response = client.get(reverse("consultations:dialogues-ical"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(event["summary"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {
        "Diálogo en Antofagasta — Política migratoria",
        "Diálogo en curso — Política migratoria",
        "Diálogo pasado — Política migratoria",  # a calendar that subscribed keeps what happened
    }
    event = events["Diálogo en Antofagasta — Política migratoria"]
    assert event.decoded("dtstart") == soon.starts_at.replace(microsecond=0)
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(hours=2)
    assert "Antofagasta" in str(event["location"])
    assert str(event["url"]).endswith(consultation.get_absolute_url())
    assert len({str(e["uid"]) for e in events.values()}) == 3


def test_the_feed_is_bounded_and_keeps_the_planned_dialogues(client, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr("consultations.views.ICAL_MAX_EVENTS", 5)
    consultation = ConsultationFactory()
    for days in range(-20, 10, 2):
        DialogueFactory(
            consultation=consultation, title=f"Día {days}", starts_at=timezone.now() + timedelta(days=days)
        )
    with django_assert_num_queries(1):
        response = client.get(reverse("consultations:dialogues-ical"))
    titles = [
        str(event["summary"]).split(" — ")[0]
        for event in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    ]
    assert titles == ["Día 8", "Día 6", "Día 4", "Día 2", "Día 0"]


def test_empty_feed_is_still_a_calendar(client):
    calendar = icalendar.Calendar.from_ical(client.get(reverse("consultations:dialogues-ical")).content)
    assert calendar.walk("VEVENT") == []
    assert str(calendar["version"]) == "2.0"
