"""Keep what is cached of a consultation in step with the database.

- Any save or delete of a section, question or option, from the admin's inlines, a cascade, a service or the
  shell, bumps its consultation's ``questionnaire_version`` in the same transaction, so no process serves a
  questionnaire that was changed (``selectors.questionnaire``).
- Any save or delete of a dialogue or of its attendance, counts or syntheses, and any save of an answer (which
  happens only when it is moderated: answering inserts them in bulk), bumps ``results_version``, so the shared
  computed results (``selectors.results_for_page``) are computed again. The admin's moderation actions use
  ``QuerySet.update`` and call ``results_changed`` themselves. Online and assisted responses are part of the
  results key already (their number and the last submission).

These receivers only invalidate caches; they carry no business rule. Writes that skip model signals
(``bulk_create``, ``QuerySet.update``) on existing rows must call ``questionnaire_changed`` or
``results_changed`` themselves. Answers have no delete receiver on purpose: saving a section deletes and
inserts them, and a delete receiver would turn that into one query per answer.
"""

from __future__ import annotations

from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

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


def questionnaire_changed(**where) -> None:
    """Bump the questionnaire version of the consultations matched by ``where`` (e.g. ``pk=…``)."""
    Consultation.objects.filter(**where).update(questionnaire_version=F("questionnaire_version") + 1)


@receiver([post_save, post_delete], sender=Section, dispatch_uid="questionnaire-section")
def _section_changed(sender, instance: Section, raw: bool = False, **kwargs) -> None:
    if not raw:
        questionnaire_changed(pk=instance.consultation_id)


@receiver([post_save, post_delete], sender=Question, dispatch_uid="questionnaire-question")
def _question_changed(sender, instance: Question, raw: bool = False, **kwargs) -> None:
    if not raw:
        questionnaire_changed(sections=instance.section_id)


@receiver([post_save, post_delete], sender=Option, dispatch_uid="questionnaire-option")
def _option_changed(sender, instance: Option, raw: bool = False, **kwargs) -> None:
    if not raw:
        questionnaire_changed(sections__questions=instance.question_id)


def results_changed(**where) -> None:
    """Bump the results version of the consultations matched by ``where`` (e.g. ``pk__in=…``)."""
    Consultation.objects.filter(**where).update(results_version=F("results_version") + 1)


@receiver([post_save, post_delete], sender=Dialogue, dispatch_uid="results-dialogue")
def _dialogue_changed(sender, instance: Dialogue, raw: bool = False, **kwargs) -> None:
    if not raw:
        results_changed(pk=instance.consultation_id)


@receiver([post_save, post_delete], sender=DialogueAttendance, dispatch_uid="results-attendance")
@receiver([post_save, post_delete], sender=DialogueOptionCount, dispatch_uid="results-option-count")
@receiver([post_save, post_delete], sender=DialogueSynthesis, dispatch_uid="results-synthesis")
def _dialogue_input_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        results_changed(dialogues=instance.dialogue_id)


@receiver(post_save, sender=Answer, dispatch_uid="results-answer")
def _answer_moderated(sender, instance: Answer, raw: bool = False, **kwargs) -> None:
    if not raw:
        results_changed(responses=instance.response_id)
