"""Keep the in-memory questionnaire (``selectors.questionnaire``) in step with the database.

Any save or delete of a section, question or option, from the admin's inlines, a cascade, a service or the
shell, bumps its consultation's ``questionnaire_version`` in the same transaction, so no process serves a
questionnaire that was changed. These receivers only invalidate a cache; they carry no business rule.
Writes that skip model signals (``bulk_create``, ``QuerySet.update``) on an existing questionnaire must call
``questionnaire_changed`` themselves.
"""

from __future__ import annotations

from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from consultations.models import Consultation, Option, Question, Section


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
