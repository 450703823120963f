"""Fan-out: the number of queries does not grow with the number of subscribers."""

import math

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engine.models import Mechanism, Notification, Topic
from engine.notifications import notify, subscription_set
from engine.notifications.services import notifications_send
from participants.models import Participant
from tests.engine.factories import participants as make_participants
from tests.engine.factories import subscribers
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def queries_to_notify(count: int, mechanism: str) -> tuple[int, int]:
    """(INSERT statements, every other statement) that notify() runs for ``count`` subscribers."""
    subscribers(count, prefix=f"{mechanism}-", mechanism=mechanism)
    with CaptureQueriesContext(connection) as captured:
        written = notify(kind="generic", mechanism=mechanism, context={"title": "Aviso"})
    assert written == count
    inserts = sum(1 for query in captured if query["sql"].startswith("INSERT"))
    return inserts, len(captured) - inserts


def rows_per_insert() -> int:
    # SQLite caps the parameters of one statement, so its batches may be smaller than the setting.
    fields = [f for f in Notification._meta.concrete_fields if not f.primary_key]
    return min(settings.ENGINE_NOTIFICATION_BATCH_SIZE, connection.ops.bulk_batch_size(fields, [None] * 1000))


def test_notify_query_count_is_independent_of_subscribers():
    few_inserts, few_other = queries_to_notify(10, Mechanism.COSOC)
    many_inserts, many_other = queries_to_notify(100, Mechanism.CONSULTATIONS)
    # One query finds the audience whatever its size; rows go in batched INSERTs, never one per person.
    assert few_other == many_other <= 4
    assert few_inserts == 1
    assert many_inserts == math.ceil(100 / rows_per_insert())


def test_fan_out_inserts_in_batches(settings, django_assert_max_num_queries):
    settings.ENGINE_NOTIFICATION_BATCH_SIZE = 25
    subscribers(100, mechanism=Mechanism.INFORMATION)
    # 4 batched INSERTs for 100 rows, plus the audience query and savepoints.
    with django_assert_max_num_queries(9):
        notify(kind="generic", mechanism=Mechanism.INFORMATION, context={"title": "Aviso"})
    assert Notification.objects.count() == 100


def queries_to_send(count: int, mechanism: str) -> int:
    subscribers(count, prefix=f"send-{mechanism}-", mechanism=mechanism)
    notify(kind="generic", mechanism=mechanism, context={"title": "Aviso"})
    with CaptureQueriesContext(connection) as captured:
        assert notifications_send() == count
    return len(captured)


def test_sending_a_batch_takes_the_same_queries_for_10_or_45(settings):
    # Sent rows are marked every ENGINE_NOTIFICATION_MARK_SENT_EVERY (50) emails: below that, constant.
    assert queries_to_send(10, Mechanism.COSOC) == queries_to_send(45, Mechanism.INFORMATION)


def test_sending_to_followers_of_objects_and_topics_does_not_query_per_email(django_assert_max_num_queries):
    thing = make_participants(1)[0]
    thing = Participant.objects.get(pk=thing.pk)
    topic = Topic.objects.first()
    for number in range(30):
        user = UserFactory(email=f"follower{number}@example.org")
        subscription_set(user=user, target=thing if number % 2 else topic)
    notify(kind="generic", target=thing, topics=[topic], context={"title": "Novedad"})
    with django_assert_max_num_queries(12):
        assert notifications_send() == 30
