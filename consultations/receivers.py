"""Keep what is cached of a consultation in step with the database.

- Any save or delete of a section, question or option, from the admin's inlines, a cascade, a service or the
  shell, bumps its consultation's ``questionnaire_version`` in the same transaction, so no process serves a
  questionnaire that was changed (``selectors.questionnaire``).
- Any save or delete of a dialogue or of its attendance, counts or syntheses, and any save of an answer (which
  happens only when it is moderated: answering inserts them in bulk), bumps ``results_version`` and, when the
  results are public, asks for them to be computed again (``results.results_refresh_schedule``: a debounced
  Celery task). Moderating many answers at once (``services.answers_moderate``) uses ``QuerySet.update`` and
  calls ``results_changed`` itself. New online and assisted responses ask for the same computation from their
  services; the beat sweep (``results.results_refresh_sweep``) catches lost ones.

These receivers only invalidate caches; they carry no business rule. Writes that skip model signals
(``bulk_create``, ``QuerySet.update``) on existing rows must call ``questionnaire_changed`` or
``results_changed`` themselves. Answers have no delete receiver on purpose: saving a section deletes and
inserts them, and a delete receiver would turn that into one query per answer.
"""

from __future__ import annotations

from django.db.models import F
from django.db.models.signals import post_delete, post_save

from consultations.models import (
    Answer,
    Consultation,
    Dialogue,
    DialogueAttendance,
    DialogueOptionCount,
    DialogueSynthesis,
    Option,
    Question,
    Section,
)
from consultations.results import results_refresh_schedule


def questionnaire_changed(**where) -> None:
    """Bump the questionnaire version of the consultations matched by ``where`` (e.g. ``pk=…``)."""
    Consultation.objects.filter(**where).update(questionnaire_version=F("questionnaire_version") + 1)


def results_changed(**where) -> None:
    """Bump the results version of the consultations matched by ``where`` (e.g. ``pk__in=…``), and have the
    published results of those whose results are public computed again (``results.results_refresh``)."""
    matched = Consultation.objects.filter(**where)
    matched.update(results_version=F("results_version") + 1)
    for pk in matched.with_public_results().values_list("pk", flat=True):
        results_refresh_schedule(consultation_id=pk)


def _watch(model, changed, lookup: str, attribute: str, signals=(post_save, post_delete)) -> None:
    """After each save (and delete) of a ``model`` row, ``changed(**{lookup: row.<attribute>})``: the lookup
    finds the consultation the row belongs to. Fixture loading (``raw``) is left alone."""

    def receiver(sender, instance, raw: bool = False, **kwargs) -> None:
        if not raw:
            changed(**{lookup: getattr(instance, attribute)})

    for signal in signals:
        signal.connect(
            receiver, sender=model, weak=False, dispatch_uid=f"{changed.__name__}:{model.__name__}"
        )


_watch(Section, questionnaire_changed, "pk", "consultation_id")
_watch(Question, questionnaire_changed, "sections", "section_id")
_watch(Option, questionnaire_changed, "sections__questions", "question_id")
_watch(Dialogue, results_changed, "pk", "consultation_id")
for _model in (DialogueAttendance, DialogueOptionCount, DialogueSynthesis):
    _watch(_model, results_changed, "dialogues", "dialogue_id")
_watch(Answer, results_changed, "responses", "response_id", signals=(post_save,))
