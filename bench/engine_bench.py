"""Engine benches (issue 4): disaggregation and notification fan-out, each against raw SQL in the same run.

1. **Disaggregation.** 1,000,000 synthetic participants (inserted with one ``INSERT … SELECT`` over
   ``generate_series``) counted by gender identity × region through ``engine.reports.disaggregate`` — and
   through ``publish``, which adds small-cell suppression — against the bare ``SELECT … GROUP BY`` of the same
   rows. Repeats alternate between the contenders; the median is compared. Budget (DESIGN.md §7): ≤ 3×.
2. **Fan-out.** 100,000 followers of one mechanism: ``notify()`` writing their outbox rows (rows/s), against
   a raw ``INSERT … SELECT`` of the same rows; then claiming and rendering a batch of emails (rows/s).

``bench/run.py`` runs these as sections (``engine_sections``). The measuring happens in a child process
(``python bench/child.py engine_measures <what>``, the functions of ``engine_measures.py``) with the bench's
environment, so Django is configured exactly as under gunicorn; it prints one ``RESULT {json}`` line. The synthetic rows are deleted afterwards, so later
sections see the demo data only. Sizes: ``BENCH_PARTICIPANTS`` (1,000,000), ``BENCH_SUBSCRIBERS`` (100,000).
"""

from __future__ import annotations

# bench/common.py: bench/ is first on sys.path when a bench file runs as a script.
from common import Bench, Budget, Row, Section, run_child, timed_row, timed_rows_against

SYNTHETIC = "bench-synthetic"  # commune of synthetic participants; email domain of synthetic users
REPEATS = 5
ATTRIBUTES = ("gender_identity", "region")


# --- Sections (run in bench/run.py's process) ----------------------------------------------------------


def _measure(bench: Bench, what: str) -> dict:
    return run_child(bench, "engine_measures", what, timeout=1800)


def disaggregation(bench: Bench) -> list[Row]:
    result = _measure(bench, "disaggregation")
    return timed_rows_against(
        f"disaggregation of {result['participants']:,} participants",
        ("raw SQL GROUP BY (baseline)", result["raw"]),
        {
            "disaggregate() " + " x ".join(ATTRIBUTES): result["selector"],
            "publish(disaggregate()) with suppression": result["published"],
        },
        Budget(3.0, at_least=False),
    )


def fan_out(bench: Bench) -> list[Row]:
    result = _measure(bench, "fanout")
    title = f"fan-out to {result['subscribers']:,} subscribers (rows/s)"
    raw_rate = result["subscribers"] / result["raw"]
    notify_rate = result["subscribers"] / result["notify"]
    return [
        timed_row(title, "raw INSERT ... SELECT (baseline)", [result["raw"]], per_second=raw_rate),
        timed_row(
            title,
            "notify() outbox rows",
            [result["notify"]],
            raw_rate / notify_rate,
            per_second=notify_rate,
        ),
        timed_row(
            title,
            f"claim + render + send {result['sent']:,} emails (locmem)",
            [result["send"]],
            per_second=result["sent"] / result["send"],
        ),
    ]


def engine_sections() -> list[Section]:
    return [
        Section("engine: disaggregation", disaggregation),
        Section("engine: notification fan-out", fan_out),
    ]
