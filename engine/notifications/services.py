"""Subscriptions and the notification outbox.

``notify`` only writes rows, in the caller's transaction; sending happens after commit in a worker (or in
the beat sweep when the broker was down). Rows are claimed with a conditional UPDATE that stamps a token —
plus ``SELECT … FOR UPDATE SKIP LOCKED`` where the database has it, so racing workers take disjoint rows —
and only the holder of the token sends them: a task delivered twice, or two workers, send one email.
"""

from __future__ import annotations

import json
import logging
import re
import smtplib
import uuid
from collections.abc import Iterable, Iterator, Mapping
from datetime import timedelta
from functools import partial
from typing import cast

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.mail import get_connection
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models import Case, F, Max, OuterRef, Q, Subquery, When
from django.template.loader import get_template
from django.utils import timezone
from django.utils.functional import Promise

from engine.emails import TEMPLATE_PARTS
from engine.models import (
    BouncedAddress,
    Delivery,
    Frequency,
    Mechanism,
    Notification,
    NotificationStatus,
    Subscription,
    Topic,
)
from engine.notifications.emails import build_message
from engine.notifications.selectors import forget_following
from engine.notifications.tokens import unsubscribe_request
from engine.queue import enqueue
from participants.models import User

logger = logging.getLogger(__name__)
KIND_PATTERN = re.compile(r"^[a-z0-9_]{1,64}$")


# --- Subscriptions ------------------------------------------------------------------------------------


def _target_fields(target) -> dict:
    if isinstance(target, Topic):
        return {"topic": target}
    if isinstance(target, str):
        if target not in Mechanism.values:
            raise ValueError(f"Unknown mechanism {target!r}")
        return {"mechanism": target}
    if isinstance(target, models.Model) and target.pk is not None:
        return {"content_type": ContentType.objects.get_for_model(target), "object_id": target.pk}
    raise ValueError("Follow a mechanism (engine.models.Mechanism), a Topic or a saved object")


def subscription_set(*, user, target, frequency: str = Frequency.IMMEDIATELY) -> Subscription:
    """Follow ``target`` (a Mechanism value, a Topic or any saved object), or change how often."""
    if frequency not in Frequency.values:
        raise ValueError(f"Unknown frequency {frequency!r}")
    subscription, _created = Subscription.objects.update_or_create(
        user=user, **_target_fields(target), defaults={"frequency": frequency}
    )
    return subscription


def subscriptions_update(*, user, changes) -> int:
    """Apply the choices of "Mis avisos": (target, frequency, already followed) triples.

    Turning off something never followed writes nothing; everything else goes through ``subscription_set``.
    """
    written = 0
    with transaction.atomic():
        for target, frequency, followed in changes:
            if frequency == Frequency.OFF and not followed:
                continue
            subscription_set(user=user, target=target, frequency=frequency)
            written += 1
    return written


def subscription_unsubscribe(*, subscription: Subscription) -> Subscription:
    """Turn it off but keep the row: pending notifications then see it and are skipped."""
    if subscription.frequency != Frequency.OFF:
        subscription.frequency = Frequency.OFF
        subscription.save(update_fields=["frequency", "updated_at"])
    return subscription


def weekly_digest_off(*, user_id: int) -> int:
    changed = Subscription.objects.filter(user_id=user_id, frequency=Frequency.WEEKLY).update(
        frequency=Frequency.OFF, updated_at=timezone.now()
    )
    forget_following(user_id)  # a bulk update sends no signal
    return changed


def unsubscribe_with_token(*, token: str) -> int:
    """Apply a signed unsubscribe link; how many subscriptions it turned off (0 if already off).

    Raises django.core.signing.BadSignature for an altered or invented token.
    """
    request = unsubscribe_request(token)
    if request.weekly_of_user_id is not None:
        return weekly_digest_off(user_id=request.weekly_of_user_id)
    subscription = Subscription.objects.filter(
        pk=cast(int, request.subscription_id)
    )  # set when not a digest's
    changed = subscription.exclude(frequency=Frequency.OFF).update(
        frequency=Frequency.OFF, updated_at=timezone.now()
    )
    user_id = subscription.values_list("user_id", flat=True).first() if changed else None
    if user_id is not None:
        forget_following(user_id)  # a bulk update sends no signal
    return changed


# --- Writing the outbox -------------------------------------------------------------------------------


class _PlainJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, Promise):
            # A lazy string would be frozen in the sender's language; the email must use the recipient's.
            raise TypeError(
                "Pass translatable text as {'es': …, 'ht': …, 'en': …} (rendered with |localized) or "
                "put the msgid in the email template"
            )
        return super().default(o)


def _check_kind(kind: str) -> None:
    if not KIND_PATTERN.match(kind):
        raise ValueError(f"Notification kind {kind!r}: lower-case letters, digits and _ only")
    # Fail in the caller (and its tests) rather than in the worker, days later.
    for part in TEMPLATE_PARTS:
        get_template(f"emails/{kind}_{part}")


def _recipient_ids(recipients) -> models.QuerySet:
    if isinstance(recipients, models.QuerySet):
        users = recipients.model.objects.filter(pk__in=recipients.values("pk"))
    else:
        users = User.objects.filter(pk__in=[getattr(user, "pk", user) for user in recipients])
    return users.filter(is_active=True).exclude(email__in=BouncedAddress.objects.values("email"))


def _audience(
    *, recipients, target, mechanism: str, topics, exclude: Iterable
) -> Iterator[tuple[int, int | None, str]]:
    """(user id, subscription id, delivery) per person, deduplicated in SQL."""
    excluded = [getattr(user, "pk", user) for user in exclude]
    batch = settings.ENGINE_NOTIFICATION_BATCH_SIZE
    direct = None
    if recipients is not None:
        direct = _recipient_ids(recipients).exclude(pk__in=excluded).values_list("pk", flat=True)
        # A list names a few people (e.g. the author of a response): no server-side cursor for them.
        direct_ids = (
            direct.order_by().iterator(chunk_size=batch)
            if isinstance(recipients, models.QuerySet)
            else list(direct.order_by())
        )
        for user_id in direct_ids:
            yield user_id, None, Delivery.IMMEDIATE
    if target is None and not mechanism and not topics:
        return
    followers = (
        Subscription.objects.for_targets(obj=target, mechanism=mechanism, topics=topics)
        .deliverable()
        .exclude(user_id__in=excluded)
    )
    if direct is not None:
        followers = followers.exclude(user_id__in=direct)
    # One row per person: immediate wins over weekly; the subscription is kept for the unsubscribe link.
    grouped = (
        followers.order_by()
        .values("user_id")
        .annotate(
            immediate=Max(Case(When(frequency=Frequency.IMMEDIATELY, then=F("pk")))),
            latest=Max("pk"),
        )
        .values_list("user_id", "immediate", "latest")
    )
    for user_id, immediate, latest in grouped.iterator(chunk_size=batch):
        if immediate:
            yield user_id, immediate, Delivery.IMMEDIATE
        else:
            yield user_id, latest, Delivery.DIGEST


def notify(
    *,
    kind: str,
    context: Mapping | None = None,
    recipients=None,
    target: models.Model | None = None,
    mechanism: str = "",
    topics: Iterable[Topic] | models.QuerySet = (),
    exclude: Iterable = (),
) -> int:
    """Write one notification per person, in the caller's transaction; send after commit.

    Who: ``recipients`` (users or a user QuerySet, e.g. the author of an answered question) and/or the
    followers of ``target`` (an object), of ``mechanism`` and of any of ``topics``; each person once.
    Followers on a weekly digest get the item in their next digest instead. ``mechanism`` also heads the
    item in digests. ``context`` is plain JSON for the ``emails/<kind>_*`` templates. Returns the number of
    rows written; the query count does not grow with the audience (bulk inserts in batches).
    """
    _check_kind(kind)
    if mechanism and mechanism not in Mechanism.values:
        raise ValueError(f"Unknown mechanism {mechanism!r}")
    payload = json.loads(json.dumps(dict(context or {}), cls=_PlainJSONEncoder))
    now = timezone.now()
    batch = settings.ENGINE_NOTIFICATION_BATCH_SIZE
    immediate_ids: list[int] = []
    ids_known = True
    written = 0

    def flush(rows: list[Notification]) -> None:
        nonlocal ids_known, written
        Notification.objects.bulk_create(rows, batch_size=batch)
        written += len(rows)
        for row in rows:
            if row.pk is None:
                ids_known = False
            elif row.delivery == Delivery.IMMEDIATE:
                immediate_ids.append(row.pk)

    # In the caller's transaction, without a savepoint of its own: nothing here is meant to fail and be caught.
    with transaction.atomic(savepoint=False):
        rows: list[Notification] = []
        for user_id, subscription_id, delivery in _audience(
            recipients=recipients, target=target, mechanism=mechanism, topics=topics, exclude=exclude
        ):
            rows.append(
                Notification(
                    recipient_id=user_id,
                    subscription_id=subscription_id,
                    kind=kind,
                    mechanism=mechanism,
                    context=payload,
                    delivery=delivery,
                    next_attempt_at=now,
                    created_at=now,
                )
            )
            if len(rows) >= batch:
                flush(rows)
                rows = []
        if rows:
            flush(rows)
    if immediate_ids or not ids_known:
        transaction.on_commit(partial(_enqueue_sending, immediate_ids if ids_known else None))
    return written


# While a gathering send is scheduled (see _enqueue_sending), this key is in the cache.
SEND_SCHEDULED_KEY = "engine:notifications:send-scheduled"


def _enqueue_sending(ids: list[int] | None) -> None:
    from engine.tasks import notifications_send_task  # noqa: PLC0415  (circle: engine.tasks imports this module)

    if ids is None:
        enqueue(notifications_send_task)
        return
    batch = settings.ENGINE_NOTIFICATION_BATCH_SIZE
    delay = settings.ENGINE_NOTIFICATION_GATHER_SECONDS
    if delay > 0 and len(ids) < batch and not notifications_send_task.app.conf.task_always_eager:
        # A few emails at a time (a confirmation for each of 50 people submitting at once) are gathered: one
        # task a few seconds from now sends every due row, instead of one task, claim and mail connection per
        # email competing with the pages for the CPU. Nothing waits on the key: a row written while a send is
        # scheduled is committed before that send claims; when the broker is down the sweep sends it.
        if cache.add(SEND_SCHEDULED_KEY, 1, timeout=delay):
            enqueue(notifications_send_task, countdown=delay)
        return
    for start in range(0, len(ids), batch):
        # The first failure means the broker is down: the sweep sends the rest, so stop trying.
        if not enqueue(notifications_send_task, ids[start : start + batch]):
            return


# --- Sending ------------------------------------------------------------------------------------------


def _claim(*, ids: Iterable[int] | None, limit: int) -> list[Notification]:
    token = uuid.uuid4().hex
    now = timezone.now()
    with transaction.atomic():
        candidates = Notification.objects.due(now)
        if ids is not None:
            candidates = candidates.filter(pk__in=list(ids))
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        pks = list(candidates.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
        if not pks:
            return []
        # The status condition makes the claim safe even without row locks (SQLite): an UPDATE is atomic
        # per row, so a row another worker already took no longer matches.
        Notification.objects.filter(pk__in=pks, status=NotificationStatus.PENDING).update(
            status=NotificationStatus.SENDING, claim_token=token, claimed_at=now, attempts=F("attempts") + 1
        )
    return list(
        Notification.objects.filter(claim_token=token, status=NotificationStatus.SENDING)
        .select_related("recipient", "subscription__topic")
        # Templates name what the person follows: one query per followed type, not one per email.
        .prefetch_related("subscription__target_object")
        .order_by("pk")
    )


def _is_permanent(error: Exception) -> bool:
    """A 5xx about the recipient: sending again would fail again and hurt the sender's reputation."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(error, smtplib.SMTPSenderRefused | smtplib.SMTPAuthenticationError):
        return False  # our side is wrong, not the address
    if isinstance(error, smtplib.SMTPResponseException):
        return 500 <= error.smtp_code < 600
    return False


def _smtp_code(error: Exception) -> int | None:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return next((code for code, _message in error.recipients.values()), None)
    return getattr(error, "smtp_code", None)


def _retry_delay(attempts: int) -> timedelta:
    base = settings.ENGINE_NOTIFICATION_RETRY_BASE_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 24 * 3600))


def _skip_reason(notification: Notification, bounced: set[str], digest_items: dict) -> str:
    recipient = notification.recipient
    if not recipient.is_active:
        return "recipient inactive"
    if recipient.email.lower() in bounced:
        return "address bounced"
    if (
        notification.subscription_id
        and cast(Subscription, notification.subscription).frequency == Frequency.OFF
    ):
        return "unsubscribed"
    if notification.kind == Notification.DIGEST_KIND and not digest_items.get(notification.pk):
        return "empty digest"
    return ""


def notifications_send(*, ids: Iterable[int] | None = None, limit: int | None = None) -> int:
    """Claim up to ``limit`` due notifications (only ``ids`` if given) and send them; returns how many were
    claimed. Each is sent at most once; failures go back to pending with exponential backoff."""
    limit = limit or settings.ENGINE_NOTIFICATION_BATCH_SIZE
    claimed = _claim(ids=ids, limit=limit)
    if not claimed:
        return 0
    now = timezone.now()
    bounced = set(
        BouncedAddress.objects.filter(email__in={n.recipient.email.lower() for n in claimed}).values_list(
            "email", flat=True
        )
    )
    digest_ids = [n.pk for n in claimed if n.kind == Notification.DIGEST_KIND]
    digest_items: dict[int, list[Notification]] = {}
    if digest_ids:
        for item in Notification.objects.filter(digest_id__in=digest_ids).order_by("created_at", "pk"):
            digest_items.setdefault(item.digest_id, []).append(item)

    sent: list[int] = []
    skipped: dict[str, list[int]] = {}
    flush_every = settings.ENGINE_NOTIFICATION_MARK_SENT_EVERY

    def flush_sent() -> None:
        # Marked in small groups: one query per group, and a crash repeats at most one group.
        if sent:
            Notification.objects.filter(pk__in=sent).update(
                status=NotificationStatus.SENT, sent_at=timezone.now(), last_error="", claim_token=""
            )
            sent.clear()

    mail = get_connection()
    try:
        mail.open()
    except Exception as error:
        logger.warning("mail server unreachable; %d notifications will be retried", len(claimed))
        for notification in claimed:
            _fail(notification, error, now=now)
        return len(claimed)
    try:
        for notification in claimed:
            reason = _skip_reason(notification, bounced, digest_items)
            if reason:
                skipped.setdefault(reason, []).append(notification.pk)
                continue
            try:
                message = build_message(notification, digest_items=digest_items.get(notification.pk, ()))
            except Exception as error:
                # A template bug will not fix itself by retrying: fail it now, loudly.
                logger.exception("notification %s could not be rendered", notification.pk)
                _fail(notification, error, now=now, permanent=True)
                continue
            message.connection = mail
            try:
                message.send()
            except Exception as error:
                if _is_permanent(error):
                    bounce_record(email=notification.recipient.email, error=error)
                    bounced.add(notification.recipient.email.lower())
                _fail(notification, error, now=now, permanent=_is_permanent(error))
                continue
            sent.append(notification.pk)
            if len(sent) >= flush_every:
                flush_sent()
    finally:
        flush_sent()
        mail.close()
        for reason, pks in skipped.items():
            Notification.objects.filter(pk__in=pks).update(
                status=NotificationStatus.SKIPPED, last_error=reason, claim_token=""
            )
    return len(claimed)


def _fail(notification: Notification, error: Exception, *, now, permanent: bool = False) -> None:
    given_up = permanent or notification.attempts >= settings.ENGINE_NOTIFICATION_MAX_ATTEMPTS
    Notification.objects.filter(pk=notification.pk).update(
        status=NotificationStatus.FAILED if given_up else NotificationStatus.PENDING,
        next_attempt_at=now if given_up else now + _retry_delay(notification.attempts),
        last_error=f"{type(error).__name__}: {error}"[:2000],
        claim_token="",
    )


def bounce_record(*, email: str, error: Exception | None = None, reason: str = "") -> BouncedAddress:
    """Stop sending to an address the mail server refused permanently (staff may delete the record)."""
    address, _created = BouncedAddress.objects.get_or_create(
        email=email.lower(),
        defaults={
            "reason": (reason or (f"{type(error).__name__}: {error}" if error else ""))[:2000],
            "smtp_code": _smtp_code(error) if error else None,
        },
    )
    logger.warning("address bounced permanently; no more notifications to it")
    return address


def notification_retry_now(*, notifications: models.QuerySet) -> int:
    """Staff: put failed notifications back in the queue, now (e.g. after fixing the mail server)."""
    return notifications.filter(status=NotificationStatus.FAILED).update(
        status=NotificationStatus.PENDING, next_attempt_at=timezone.now(), attempts=0, last_error=""
    )


# --- Weekly digests -----------------------------------------------------------------------------------


def digests_build() -> int:
    """Gather every pending digest item into one digest per person; returns how many digests were made.

    Items are claimed by one conditional UPDATE, so two runs never put an item in two digests, and a digest
    is only created for someone with at least one item: none is ever empty or repeated.
    """
    token = uuid.uuid4().hex
    now = timezone.now()
    with transaction.atomic():
        waiting = Notification.objects.waiting_for_digest()
        if not waiting.filter(next_attempt_at__lte=now).exists():
            return 0
        waiting.filter(next_attempt_at__lte=now).update(
            status=NotificationStatus.SENDING, claim_token=token, claimed_at=now
        )
        claimed = Notification.objects.filter(claim_token=token, delivery=Delivery.DIGEST)
        claimed.filter(
            Q(subscription__frequency=Frequency.OFF)
            | Q(recipient__is_active=False)
            | Q(recipient__email__in=BouncedAddress.objects.values("email"))
        ).update(status=NotificationStatus.SKIPPED, last_error="not deliverable", claim_token="")
        recipient_ids = list(
            claimed.filter(status=NotificationStatus.SENDING)
            .order_by("recipient_id")
            .values_list("recipient_id", flat=True)
            .distinct()
        )
        if not recipient_ids:
            return 0
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=recipient_id,
                    kind=Notification.DIGEST_KIND,
                    delivery=Delivery.IMMEDIATE,
                    claim_token=token,
                    context={"until": now.date().isoformat()},
                    next_attempt_at=now,
                    created_at=now,
                )
                for recipient_id in recipient_ids
            ],
            batch_size=settings.ENGINE_NOTIFICATION_BATCH_SIZE,
        )
        digests = Notification.objects.filter(
            claim_token=token, kind=Notification.DIGEST_KIND, delivery=Delivery.IMMEDIATE
        )
        # Link every item to its person's digest in one statement, whatever the number of people.
        claimed.filter(status=NotificationStatus.SENDING).update(
            digest_id=Subquery(digests.filter(recipient_id=OuterRef("recipient_id")).values("pk")[:1]),
            status=NotificationStatus.SENT,
            sent_at=now,
            claim_token="",
        )
        digest_ids = list(digests.values_list("pk", flat=True))
        digests.update(claim_token="")
        transaction.on_commit(partial(_enqueue_sending, digest_ids))
    return len(digest_ids)


# --- Sweep --------------------------------------------------------------------------------------------


def notifications_sweep(*, max_batches: int | None = None) -> int:
    """What the beat runs every minute: release claims of dead workers, then send whatever is due."""
    now = timezone.now()
    stale_after = timedelta(seconds=settings.ENGINE_NOTIFICATION_STALE_AFTER_SECONDS)
    # A worker that died mid-batch may have sent some of these; a rare repeat beats a lost notification.
    Notification.objects.stale_claims(now - stale_after).update(
        status=NotificationStatus.PENDING, claim_token="", next_attempt_at=now
    )
    processed = 0
    for _batch in range(max_batches or settings.ENGINE_NOTIFICATION_SWEEP_BATCHES):
        claimed = notifications_send()
        processed += claimed
        if not claimed:
            break
    return processed
