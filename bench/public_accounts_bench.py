"""Public account bench (issue 17): the account page with 2,000 answered questions, and the answers document.

1. In a child process (``bench/public_accounts_measures.py``): an account in its answers phase is made with
   ``BENCH_ACCOUNT_QUESTIONS`` (2,000) accepted questions, each with a published answer, spread over three
   sections; the page's queries are counted with 20 questions and with all of them (budget: constant, ratio
   1.00). Then the answers document is built by the real service (``answers_publish_all``: 2,000 approved
   answers published at once, HTML rendered, PDF made and stored): its seconds over 30 s and the child's peak
   memory over 300 MB are rows with budget ≤ 1.
2. Under the bench's gunicorn, round-robin with the bare view: the account page for an anonymous visitor whose
   cookie bypasses the page cache and for a signed-in reader (budget ≥ 0.25, DESIGN.md §7), and ``/informacion/``
   for both as the reference page (what the page chrome costs in the same run; no budget).

The synthetic account, its questions and the reader are deleted afterwards.
"""

from __future__ import annotations

import os

from common import BARE_VIEW, Budget, Row, Section, log, measured_row, run_child, signed_in_cookies
from load import Target

YEAR = 2099
PAGE = f"/cuenta-publica/{YEAR}/"
REFERENCE = "/informacion/"
READER_EMAIL = "lectora@bench-accounts.invalid"
# A visitor the page cache does not serve: a flash message waits for this browser (as in the search bench). A
# forged session id no longer does it: the page cache takes a session that names nothing as no session.
NO_PAGE_CACHE = {"messages": "bench-pending-message"}
PAGE_BUDGET = 0.25
DOCUMENT_SECONDS, DOCUMENT_MEGABYTES = 30.0, 300.0


def public_accounts_sections() -> list[Section]:
    count = int(os.environ.get("BENCH_ACCOUNT_QUESTIONS", "2000"))
    if not 1 <= count <= 50_000:
        log("bench setup failed: BENCH_ACCOUNT_QUESTIONS must be within 1..50000")
        raise SystemExit(2)
    title = f"public account: page with {count:,} answered questions, answers document"

    def section(bench) -> list:
        data = run_child(bench, "public_accounts_measures", "setup")
        try:
            log(
                f"  answers document: {data['document_seconds']:.1f} s, peak memory {data['peak_megabytes']:.0f} MB, "
                f"{data['document_questions']:,} questions"
            )
            reader = signed_in_cookies(data["session"])
            targets = [
                Target(f"{PAGE} anonymous, no page cache", PAGE, NO_PAGE_CACHE),
                Target(f"{PAGE} signed in", PAGE, reader),
            ]
            # What the page chrome alone costs in the same conditions (a page with its content shared).
            references = [
                Target(f"{REFERENCE} anonymous, no page cache (reference page)", REFERENCE, NO_PAGE_CACHE),
                Target(f"{REFERENCE} signed in (reference page)", REFERENCE, reader),
            ]
            measurements = bench.load([BARE_VIEW, *targets, *references])
            baseline = measurements[BARE_VIEW].requests_per_second
            rows = [measured_row(title, f"{BARE_VIEW} (baseline)", measurements[BARE_VIEW], baseline)]
            rows += [measured_row(title, t.label, measurements[t.label], baseline) for t in references]
            rows += [
                measured_row(title, t.label, measurements[t.label], baseline, Budget(PAGE_BUDGET))
                for t in targets
            ]
            before, after = data["queries"]
            rows.append(_ratio_row(title, "queries of the page, all questions over 20", before, after, 1.0))
            rows.append(
                _ratio_row(
                    title,
                    "answers document seconds over 30 s",
                    DOCUMENT_SECONDS,
                    data["document_seconds"],
                    1.0,
                )
            )
            rows.append(
                _ratio_row(
                    title,
                    "answers document peak MB over 300 MB",
                    DOCUMENT_MEGABYTES,
                    data["peak_megabytes"],
                    1.0,
                )
            )
            return rows
        finally:
            run_child(bench, "public_accounts_measures", "cleanup", data["session"])

    return [Section(title, section)]


def _ratio_row(title: str, target: str, reference: float, value: float, limit: float) -> Row:
    return Row(
        section=title,
        target=target,
        requests_per_second=None,
        p50_ms=0.0,
        p99_ms=0.0,
        errors=0,
        requests=0,
        rounds=(float(reference), float(value)),
        ratio=value / reference if reference else None,
        budget=Budget(limit, at_least=False),
    )
