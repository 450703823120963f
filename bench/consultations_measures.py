"""The consultations benches' data and in-process measurements, in a child process with Django set up
(``bench/child.py``).

``consultations_bench.py`` runs them through ``run_child(bench, "consultations_measures", <what>, …)``; each
returns the JSON of its ``RESULT`` line.
"""

from __future__ import annotations

import re
import resource
import time
from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

# The other bench modules: bench/ is first on sys.path when bench/child.py runs.
from common import insert_select, log, sql_pick, vacuum
from consultations_bench import (
    CHOICES_PER_QUESTION,
    KINDS,
    MARKER,
    REPEATS,
    RESPONDENTS_SLUG,
    RESULTS_SLUG,
    Knobs,
)
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from consultations import results
from consultations.forms import field_name
from consultations.models import (
    Answer,
    AnswerOption,
    Consultation,
    Dialogue,
    DialogueAttendance,
    DialogueOptionCount,
    Modality,
    Option,
    Question,
    Response,
    Section,
)
from consultations.receivers import results_changed
from consultations.reports import CONSULTATION_RESULTS
from consultations.results import consultation_results, published_results
from engine.models import Notification, ReportJob
from engine.reports.services import report_job_build, report_job_start
from participants import choices
from participants.models import Participant, User


def _skip_foreign_key_triggers() -> None:
    """For the rest of the transaction, no per-row foreign-key triggers (PostgreSQL superusers only).

    Every row inserted or deleted references rows of the same transaction by construction, and the millions of
    deferred checks would otherwise double the time of building and of deleting the synthetic data. Without
    the privilege the checks simply run.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")


def _tr(field: str, text: str) -> dict[str, str]:
    return {field: text, f"{field}_es": text}


def setup_results() -> dict:
    """The closed consultation with published results, its questionnaire and every response, in SQL."""
    knobs = Knobs.from_env()
    count, n_questions = knobs.responses, knobs.questions
    started = time.perf_counter()
    now = timezone.now()
    timings: dict[str, float] = {}

    def timed(name: str, since: float) -> float:
        timings[name] = time.perf_counter() - since
        log(f"  setup: {name} {timings[name]:.1f} s")
        return time.perf_counter()

    with transaction.atomic():
        consultation = Consultation.objects.create(
            slug=RESULTS_SLUG,
            modality=Modality.HYBRID,
            announced_at=now - timezone.timedelta(days=90),
            opens_at=now - timezone.timedelta(days=80),
            closes_at=now - timezone.timedelta(days=20),
            results_published_at=now - timezone.timedelta(days=1),
            is_published=True,
            last_notified_phase="results",
            **_tr("title", "Consulta del bench: resultados a escala"),
            **_tr("summary", "Datos sintéticos para medir los resultados con muchas respuestas."),
        )
        per_section = -(-n_questions // 4)
        questions = []
        for number in range(n_questions):
            if number % per_section == 0:
                section = Section.objects.create(
                    consultation=consultation,
                    order=number // per_section,
                    **_tr("title", f"Sección {number}"),
                )
            kind = KINDS[number % len(KINDS)]
            question = Question.objects.create(
                section=section,
                order=number,
                kind=kind,
                required=True,
                **_tr("text", f"Pregunta {number + 1}"),
            )
            Option.objects.bulk_create(
                Option(
                    question=question, order=i, **_tr("text", f"Opción {i + 1} de la pregunta {number + 1}")
                )
                for i in range(CHOICES_PER_QUESTION)
            )
            questions.append(question)
        question_ids = ", ".join(str(q.pk) for q in questions)

        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.5)")
        _skip_foreign_key_triggers()
        step = time.perf_counter()
        genders = [value for value, _label in choices.GenderIdentity.choices] + [""]
        regions = [value for value, _label in choices.Region.choices]
        insert_select(
            Participant,
            f"generate_series(1, {int(count)}) AS n",
            {
                "gender_identity": sql_pick(genders, [40, 38, 2, 2, 3, 1, 6, 8]),
                "region": sql_pick([*regions, ""], [1] * len(regions) + [3]),
                "nationality": sql_pick(
                    ["VE", "PE", "CO", "HT", "BO", "AR", "CL"], [38, 14, 11, 10, 9, 8, 10]
                ),
                "commune": f"'{MARKER}'",
            },
        )
        step = timed("participants", step)
        participants = connection.ops.quote_name(Participant._meta.db_table)
        insert_select(
            Response,
            f"{participants} AS p WHERE p.commune = '{MARKER}'",
            {
                "id": "gen_random_uuid()",
                "consultation_id": str(int(consultation.pk)),
                "participant_id": "p.id",
                "channel": sql_pick(["online", "paper", "phone"], [90, 6, 4]),
                "status": "'submitted'",
                "submitted_at": "now() - random() * interval '60 days'",
            },
        )
        step = timed("responses", step)
        responses = connection.ops.quote_name(Response._meta.db_table)
        answers = insert_select(
            Answer,
            f"{responses} AS r CROSS JOIN unnest(ARRAY[{question_ids}]::bigint[]) AS q(id) "
            f"WHERE r.consultation_id = {int(consultation.pk)}",
            {"response_id": "r.id", "question_id": "q.id", "moderation": "'pending'"},
        )
        step = timed("answers", step)
        # One option per answer, skewed towards the first ones; a second one for 30% of the multiple-choice
        # answers; a first and a second place for ranking answers (only first places are counted).
        answer_table = connection.ops.quote_name(Answer._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH opts AS (
                    SELECT question_id, array_agg(id ORDER BY "order", id) AS ids
                    FROM {connection.ops.quote_name(Option._meta.db_table)}
                    WHERE question_id IN ({question_ids}) GROUP BY question_id
                ), picked AS (
                    SELECT a.id AS answer_id, q.kind, o.ids, cardinality(o.ids) AS n,
                           1 + floor(cardinality(o.ids) * power(random(), 1.6))::int AS first,
                           1 + floor(random() * (cardinality(o.ids) - 1))::int AS shift,
                           random() AS coin
                    FROM {answer_table} AS a
                    JOIN {responses} AS r ON r.id = a.response_id
                    JOIN {connection.ops.quote_name(Question._meta.db_table)} AS q ON q.id = a.question_id
                    JOIN opts AS o ON o.question_id = a.question_id
                    WHERE r.consultation_id = %s
                )
                INSERT INTO {connection.ops.quote_name(AnswerOption._meta.db_table)} (answer_id, option_id, rank)
                SELECT p.answer_id, p.ids[c.position], c.rank
                FROM picked AS p
                CROSS JOIN LATERAL (VALUES
                    (p.first, CASE WHEN p.kind = 'ranking' THEN 1 END, true),
                    (((p.first - 1 + p.shift) %% p.n) + 1, CASE WHEN p.kind = 'ranking' THEN 2 END,
                     p.kind = 'ranking' OR (p.kind = 'multiple' AND p.coin < 0.3))
                ) AS c(position, rank, keep)
                WHERE c.keep
                """,
                [consultation.pk],
            )
            answer_options = cursor.rowcount
        step = timed("answer options", step)
        # Three in-person dialogues with counts for every option, as staff would record them.
        dialogues = [
            Dialogue.objects.create(
                consultation=consultation,
                starts_at=now - timezone.timedelta(days=60 - i),
                ends_at=now - timezone.timedelta(days=60 - i, hours=-2),
                place="Sede comunitaria",
                region=region,
                commune="Santiago",
                **_tr("title", f"Diálogo {i + 1}"),
            )
            for i, region in enumerate(regions[:3])
        ]
        options = list(Option.objects.filter(question__in=questions))
        DialogueOptionCount.objects.bulk_create(
            DialogueOptionCount(dialogue=d, option=o, count=(d.pk * 7 + o.pk * 13) % 40)
            for d in dialogues
            for o in options
        )
        DialogueAttendance.objects.bulk_create(
            DialogueAttendance(dialogue=d, attribute="total", category="all", count=45) for d in dialogues
        )
        step = time.perf_counter()
    step = timed("commit", step)
    with connection.cursor() as cursor:
        for model in (Participant, Response, Answer, AnswerOption):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    timed("analyze", step)
    # Creating its dialogues asked for the results a minute from now (debounced); the page section measures
    # the cold start instead: its first reader asks, and the worker computes at once.
    cache.delete(results._scheduled_key(Consultation.objects.get(slug=RESULTS_SLUG).pk))
    return {
        "slug": RESULTS_SLUG,
        "consultation": consultation.pk,
        "responses": count,
        "questions": n_questions,
        "answers": answers,
        "answer_options": answer_options,
        "seconds": time.perf_counter() - started,
        "steps": timings,
    }


def raw_results_sql() -> str:
    """What the results come down to: chosen options of submitted responses, by option and channel."""
    quote = connection.ops.quote_name
    return (
        f"SELECT ao.option_id, r.channel, COUNT(*) "
        f"FROM {quote(AnswerOption._meta.db_table)} AS ao "
        f"JOIN {quote(Answer._meta.db_table)} AS a ON a.id = ao.answer_id "
        f"JOIN {quote(Response._meta.db_table)} AS r ON r.id = a.response_id "
        "WHERE r.consultation_id = %s AND r.status = 'submitted' AND (ao.rank IS NULL OR ao.rank = 1) "
        "GROUP BY ao.option_id, r.channel"
    )


def measure_aggregate() -> dict:
    consultation = Consultation.objects.get(slug=RESULTS_SLUG)
    raw_sql = raw_results_sql()

    def raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(raw_sql, [consultation.pk])
            cursor.fetchall()

    # The first call in this fresh process: nothing of the selector's is cached anywhere.
    started = time.perf_counter()
    queries: list[tuple[str, float]] = []

    def record(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((sql, time.perf_counter() - began))

    with connection.execute_wrapper(record):
        consultation_results(consultation)
    selector_first = time.perf_counter() - started
    breakdown = [(_describe(sql), seconds) for sql, seconds in queries]

    contenders = {
        "raw": raw,
        "selector": lambda: consultation_results(consultation),
        "published": lambda: published_results(consultation),
    }
    timings: dict[str, list[float]] = {name: [] for name in contenders}
    raw()  # the raw query's own first call, unmeasured, as the selector's first call was measured apart
    for _repeat in range(REPEATS):
        for name, function in contenders.items():
            began = time.perf_counter()
            function()
            timings[name].append(time.perf_counter() - began)
    return {"selector_first": selector_first, "breakdown": breakdown, **timings}


def _describe(sql: str) -> str:
    """A query in a few words, for the log: its table and what it groups by."""
    tables = re.findall(r'FROM "([a-z_]+)"', sql)
    grouped = re.search(r"GROUP BY (.{0,80})", sql)
    return f"{tables[0] if tables else '?'}" + (f" GROUP BY {grouped.group(1)}" if grouped else "")


def _bench_staff():
    user, _created = User.objects.get_or_create(
        email=f"reports@{MARKER}.invalid", defaults={"is_staff": True, "is_superuser": True}
    )
    # Staff may order reports only with a second factor set up (participants.permissions.is_verified_staff).
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    return user


def measure_report(fmt: str) -> dict:
    consultation = Consultation.objects.get(slug=RESULTS_SLUG)
    staff = _bench_staff()
    # What the process holds before the build: Django, the apps, this format's renderer library imported
    # (engine.reports.renderers loads it on the first report, so it is imported here, for this format only).
    if fmt == "pdf":
        import weasyprint  # noqa: F401, PLC0415  (deliberate: the baseline holds this format's library only)
    else:
        import openpyxl  # noqa: F401, PLC0415  (deliberate: the baseline holds this format's library only)
    baseline_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    job = report_job_start(
        kind=CONSULTATION_RESULTS,
        requested_by=staff,
        parameters={"consultation": consultation.pk},
        format=fmt,
        enqueue_build=False,
    )
    queries: list[float] = []

    def record(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append(time.perf_counter() - began)

    started = time.perf_counter()
    with connection.execute_wrapper(record):
        built = report_job_build(job_id=job.pk, notify_requester=False)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if built is None or built.status != "done":
        raise RuntimeError(f"report job {job.pk} did not finish: {getattr(built, 'error', 'not claimed')}")
    return {
        "format": fmt,
        "seconds": seconds,
        "data_seconds": sum(queries),
        "bytes": built.file.size,
        "peak_mb": peak_mb,
        "baseline_mb": baseline_mb,
    }


def cleanup_results() -> dict:
    """Plain DELETEs for the millions of rows (the ORM would load them all to cascade), then the ORM."""
    started = time.perf_counter()
    quote = connection.ops.quote_name
    with transaction.atomic():
        _skip_foreign_key_triggers()
        for consultation in Consultation.objects.filter(slug=RESULTS_SLUG):
            responses = f"SELECT id FROM {quote(Response._meta.db_table)} WHERE consultation_id = %s"
            answers = f"SELECT id FROM {quote(Answer._meta.db_table)} WHERE response_id IN ({responses})"
            with connection.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM {quote(AnswerOption._meta.db_table)} WHERE answer_id IN ({answers})",
                    [consultation.pk],
                )
                cursor.execute(
                    f"DELETE FROM {quote(Answer._meta.db_table)} WHERE response_id IN ({responses})",
                    [consultation.pk],
                )
                cursor.execute(
                    f"DELETE FROM {quote(Response._meta.db_table)} WHERE consultation_id = %s",
                    [consultation.pk],
                )
            ReportJob.objects.filter(
                kind=CONSULTATION_RESULTS, parameters__consultation=consultation.pk
            ).delete()
            consultation.delete()
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {quote(Participant._meta.db_table)} WHERE commune = %s AND user_id IS NULL",
                [MARKER],
            )
        User.objects.filter(email=f"reports@{MARKER}.invalid").delete()
    deleted = time.perf_counter()
    vacuum(AnswerOption, Answer, Response, Participant)  # between measurements, not during the respondents
    return {"seconds": time.perf_counter() - started, "vacuum_seconds": time.perf_counter() - deleted}


def setup_respondents(count: int) -> dict:
    """An open consultation with 20 questions in 4 sections (as the issue's respondents meet), and ``count``
    users each with a live session."""
    now = timezone.now()
    with transaction.atomic():
        consultation = Consultation.objects.create(
            slug=RESPONDENTS_SLUG,
            modality=Modality.VIRTUAL,
            announced_at=now - timezone.timedelta(days=2),
            opens_at=now - timezone.timedelta(days=1),
            closes_at=now + timezone.timedelta(days=1),
            is_published=True,
            last_notified_phase="open",
            **_tr("title", "Consulta del bench: respuestas simultáneas"),
            **_tr("summary", "Veinte preguntas en cuatro partes, para medir el envío de respuestas."),
        )
        layout = [
            [
                ("single", True, 4),
                ("multiple", False, 5),
                ("scale", True, 5),
                ("short_text", False, 0),
                ("single", False, 3),
            ]
        ] * 4
        sections = []
        for number, questions in enumerate(layout, start=1):
            section = Section.objects.create(
                consultation=consultation, order=number, **_tr("title", f"Parte {number}")
            )
            fields = []
            for order, (kind, required, n_options) in enumerate(questions, start=1):
                question = Question.objects.create(
                    section=section,
                    order=order,
                    kind=kind,
                    required=required,
                    **_tr("text", f"Pregunta {number}.{order}"),
                )
                options = Option.objects.bulk_create(
                    Option(question=question, order=i, **_tr("text", f"Opción {i + 1}"))
                    for i in range(n_options)
                )
                fields.append(
                    {"field": field_name(question), "kind": kind, "options": [o.pk for o in options]}
                )
            sections.append(fields)
        users = User.objects.bulk_create(
            User(email=f"respondent{i}@{MARKER}.invalid", password=make_password(None)) for i in range(count)
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
        )
        store = import_module(settings.SESSION_ENGINE).SessionStore
        sessions = []
        for user in users:
            session = store()
            session[SESSION_KEY] = user._meta.pk.value_to_string(user)
            session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            sessions.append(session.session_key)
    return {"slug": RESPONDENTS_SLUG, "sections": sections, "sessions": sessions}


def check_respondents(count: int) -> dict:
    consultation = Consultation.objects.get(slug=RESPONDENTS_SLUG)
    submitted = Response.objects.submitted().filter(consultation=consultation)
    return {
        "expected": count,
        "submitted": submitted.count(),
        "responses": Response.objects.filter(consultation=consultation).count(),
        "answers": Answer.objects.filter(response__consultation=consultation).count(),
    }


def cleanup_respondents() -> dict:
    with transaction.atomic():
        users = User.objects.filter(email__endswith=f"@{MARKER}.invalid").exclude(
            email=f"reports@{MARKER}.invalid"
        )
        Response.objects.filter(consultation__slug=RESPONDENTS_SLUG).delete()
        Consultation.objects.filter(slug=RESPONDENTS_SLUG).delete()
        Notification.objects.filter(recipient__in=users).delete()
        user_ids = {str(pk) for pk in users.values_list("pk", flat=True)}
        stale = [s.pk for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") in user_ids]
        Session.objects.filter(pk__in=stale).delete()
        participants = Participant.objects.filter(user__in=users)
        deleted_participants = participants.delete()[0]
        deleted_users = users.delete()[0]
    return {"participants": deleted_participants, "users": deleted_users}


def change_results() -> dict:
    """What a paper response typed in after the close does: the results version moves, and the results are
    computed again by the worker, here at once (as for a first publication or the sweep; a response waits
    ``RESULTS_REFRESH_SECONDS``), so that the readers arrive while it computes."""
    consultation = Consultation.objects.get(slug=RESULTS_SLUG)
    results_changed(pk=consultation.pk)
    cache.delete(results._scheduled_key(consultation.pk))
    asked = results.results_refresh_schedule(consultation_id=consultation.pk, delay=0)
    return {"asked": asked, "at": time.time()}


MEASURES = {
    "change-results": change_results,
    "setup-results": setup_results,
    "aggregate": measure_aggregate,
    "report": measure_report,
    "cleanup-results": cleanup_results,
    "setup-respondents": lambda count: setup_respondents(int(count)),
    "check-respondents": lambda count: check_respondents(int(count)),
    "cleanup-respondents": cleanup_respondents,
}
