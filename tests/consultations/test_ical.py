"""The iCal feed of upcoming in-person dialogues."""

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.consultations.factories import ConsultationFactory, DialogueFactory

pytestmark = pytest.mark.django_db


def test_feed_lists_upcoming_dialogues_of_published_consultations_only(client):
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
    }
    event = events["Diálogo en Antofagasta — Política migratoria"]
    assert event.decoded("dtstart") == soon.starts_at.replace(microsecond=0)
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(hours=2)
    assert "Antofagasta" in str(event["location"])
    assert str(event["url"]).endswith(consultation.get_absolute_url())
    assert len({str(e["uid"]) for e in events.values()}) == 2


def test_empty_feed_is_still_a_calendar(client):
    calendar = icalendar.Calendar.from_ical(client.get(reverse("consultations:dialogues-ical")).content)
    assert calendar.walk("VEVENT") == []
    assert str(calendar["version"]) == "2.0"
