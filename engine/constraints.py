"""A check constraint whose refusal is shown beside the field to correct.

Django shows a ``CheckConstraint``'s message above the whole form; when the rule is about one field (a date
that must come after another), ``FieldCheckConstraint(field=...)`` puts it beside that field, so staff see
which date and why. The message is the constraint's translated ``violation_error_message``, which every
check constraint of the portal has (tests/test_constraints.py)::

    FieldCheckConstraint(
        condition=Q(opens_at__lt=F("closes_at")),
        name="consultation_opens_before_closing",
        field="closes_at",
        violation_error_message=_("La consulta debe cerrar después de abrir."),
    )
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models


class FieldCheckConstraint(models.CheckConstraint):
    def __init__(self, *, field: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.field = field

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS) -> None:
        # django-stubs does not declare CheckConstraint.validate (Django has had it since 4.1).
        try:
            super().validate(model, instance, exclude=exclude, using=using)  # type: ignore[misc]
        except ValidationError as error:
            raise ValidationError({self.field: error.error_list}) from error

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        kwargs["field"] = self.field
        return path, args, kwargs

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and isinstance(other, FieldCheckConstraint) and self.field == other.field
