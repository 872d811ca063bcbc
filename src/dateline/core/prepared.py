"""A query that is turned into SQL once per process and then only run.

Building the SQL for a wide query (a page with its parent rows and a related picture)
costs Django's compiler a few milliseconds each time, several times what the database
takes to answer it. A query asked on every uncached page view, with only one value
changing, is compiled once with a stand-in for that value; each call then runs the stored
SQL with the real value and builds the model instance from the row the way Django's own
iteration does (its field converters and `select_related` populators included)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections, router
from django.db.models import Model, QuerySet, signals
from django.db.models.query import get_related_populators

ModelT = TypeVar("ModelT", bound=Model)

# Stands in for the value while the SQL is built; never sent to the database.
_STAND_IN = "\x00dateline-prepared-value\x00"


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    value_position: int
    compiler: Any
    init_list: list[str]
    fields_start: int
    fields_end: int
    populators: list
    converters: dict
    plain_init: bool


# Constructors that act only on an object made in code (one without a primary key yet) or
# on keyword arguments: a row read from the database is built the same without them.
# Wagtail's page and modelcluster's constructor scan the model's fields on every object, a
# twentieth of an uncached story's time.
NEW_OBJECT_ONLY_INITS = frozenset(
    {
        "wagtail.models.pages.AbstractPage",
        "wagtail.models.pages.ShowInMenusMixin",
        "modelcluster.models.ClusterableModel",
    }
)


def builds_rows_with_model_init(model: type[Model]) -> bool:
    """Whether Django's own `Model.__init__` builds this model's rows as its class would:
    no constructor of its own beyond those above, no `from_db` of its own and nothing
    listening for objects being made."""
    owners = {
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in model.__mro__
        if "__init__" in cls.__dict__ and cls not in (Model, object)
    }
    return (
        owners <= NEW_OBJECT_ONLY_INITS
        and model.from_db.__func__ is Model.from_db.__func__
        and not signals.pre_init.has_listeners(model)
        and not signals.post_init.has_listeners(model)
    )


class PreparedFirst(Generic[ModelT]):
    """`queryset_for(value).first()`, with the SQL built once per database.

    `queryset_for` must use `value` exactly once, as a parameter (a filter on a text
    field), and must not depend on anything else that changes between calls. Results
    are in the queryset's own order; without one, any row that matches."""

    def __init__(
        self, model: type[ModelT], queryset_for: Callable[[str], QuerySet[ModelT]]
    ) -> None:
        self._model = model
        self._queryset_for = queryset_for
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def __call__(self, value: str) -> ModelT | None:
        using = router.db_for_read(self._model)
        compiled = self._compiled.get(using) or self._compile(using)
        params = list(compiled.params)
        params[compiled.value_position] = value
        with connections[using].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if compiled.converters:
            row = next(iter(compiled.compiler.apply_converters([row], compiled.converters)))
        values = row[compiled.fields_start : compiled.fields_end]
        if compiled.plain_init:
            instance = self._model.__new__(self._model)
            Model.__init__(instance, *values)
            instance._state.adding = False
            instance._state.db = using
        else:
            instance = self._model.from_db(using, compiled.init_list, values)
        for populator in compiled.populators:
            populator.populate(row, instance)
        return instance

    def _compile(self, using: str) -> _Compiled:
        queryset = self._queryset_for(_STAND_IN)[:1]
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        if list(params).count(_STAND_IN) != 1:
            raise ValueError("the prepared query must use its value exactly once")
        select, klass_info = compiler.select, compiler.klass_info
        fields_start = klass_info["select_fields"][0]
        fields_end = klass_info["select_fields"][-1] + 1
        compiled = _Compiled(
            sql=sql,
            params=tuple(params),
            value_position=list(params).index(_STAND_IN),
            compiler=compiler,
            init_list=[column[0].target.attname for column in select[fields_start:fields_end]],
            fields_start=fields_start,
            fields_end=fields_end,
            populators=get_related_populators(klass_info, select, using),
            converters=compiler.get_converters(
                [column[0] for column in select[0 : compiler.col_count]]
            ),
            plain_init=fields_end - fields_start == len(self._model._meta.concrete_fields)
            and builds_rows_with_model_init(self._model),
        )
        with self._lock:
            self._compiled[using] = compiled
        return compiled
