"""One row read the same way on every request, its SQL compiled once per process.

Django compiles a queryset to SQL every time it runs one. For the one-row reads a page makes on every view (a
consultation by its address) the compiler took 0.3–0.6 ms of CPU, more than PostgreSQL took to answer.
``RowReader`` compiles the queryset once per process and database, with stand-in values, and builds the
instance as Django's own ``ModelIterable`` does: the database's converters, then the model's ``from_db``
(deferred fields stay deferred), then the annotations as attributes::

    BY_SLUG = RowReader(lambda slug: Consultation.objects.filter(slug=slug).only(*FIELDS), slug="\\x00slug")
    consultation = BY_SLUG.get(slug="plan-2026")  # None when there is no such row

A stand-in must be a value the queryset accepts and no real value is (the slug's ``"\\x00slug"``); the
queryset may not use ``select_related`` or ``prefetch_related``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class _Compiled:
    model: type[Model]
    sql: str
    params: tuple  # the compiled parameters, stand-ins among them
    slots: dict[int, str]  # position of each stand-in in ``params``: its name
    model_slice: slice
    field_names: list[str]
    annotations: dict[str, int]
    converters: dict[int, tuple[list, Any]]


class RowReader(Generic[M]):
    def __init__(self, build: Callable[..., QuerySet[M]], **stand_ins: Any) -> None:
        self._build = build
        self._stand_ins = stand_ins
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def get(self, *, using: str = DEFAULT_DB_ALIAS, **values: Any) -> M | None:
        compiled = self._compiled.get(using) or self._compile(using)
        params = [
            values[compiled.slots[i]] if i in compiled.slots else p for i, p in enumerate(compiled.params)
        ]
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if compiled.converters:
            row = list(row)
            for index, (converters, expression) in compiled.converters.items():
                for converter in converters:
                    row[index] = converter(row[index], expression, connection)
        instance = cast(M, compiled.model.from_db(using, compiled.field_names, row[compiled.model_slice]))
        for name, index in compiled.annotations.items():
            setattr(instance, name, row[index])
        return instance

    def _compile(self, using: str) -> _Compiled:
        with self._lock:
            if using in self._compiled:
                return self._compiled[using]
            queryset = self._build(**self._stand_ins)[:1]
            if queryset.query.select_related or getattr(queryset, "_prefetch_related_lookups", None):
                raise ValueError("RowReader reads one model's row: no select_related or prefetch_related")
            compiler = queryset.query.get_compiler(using)
            sql, params = compiler.as_sql()
            slots = {
                i: name
                for i, param in enumerate(params)
                for name, stand_in in self._stand_ins.items()
                if type(param) is type(stand_in) and param == stand_in
            }
            if sorted(slots.values()) != sorted(self._stand_ins):
                raise ValueError(f"each stand-in must be one parameter of the query: {params!r}")
            fields = compiler.klass_info["select_fields"]
            model_slice = slice(fields[0], fields[-1] + 1)
            compiled = _Compiled(
                model=queryset.model,
                sql=sql,
                params=tuple(params),
                slots=slots,
                model_slice=model_slice,
                field_names=[column[0].target.attname for column in compiler.select[model_slice]],
                annotations=dict(compiler.annotation_col_map),
                converters=compiler.get_converters([column[0] for column in compiler.select]),
            )
            self._compiled[using] = compiled
            return compiled
