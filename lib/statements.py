"""Plain SQL for the fixed statements of a hot path, written once against a model's names.

Why: Django's ORM spends a few hundred microseconds of Python building each statement, where the
statement itself runs in tens of microseconds. A cash entry is about a dozen of them, and on SQLite
most run inside the write lock, so that Python was most of what every other writer waited for
(bench/RESULTS.md, 2026-12-02). For such statements, and only those, the SQL text is built once:

- `sql(template, t=Model)` fills `{t}` with the model's table and `{t.field}` with the field's
  column (both quoted the ANSI way, which SQLite and PostgreSQL share), so a statement reads as SQL
  and still follows the models when a name changes;
- `Insert(Model, fields)` is one INSERT of those fields; each value goes through its field's
  `get_db_prep_save`, exactly what `save()` and `bulk_create()` send, so the database's checks,
  unique keys and triggers see the same row;
- `Loader(Model)` turns a row of `SELECT {columns}` into an instance with the backend's and the
  fields' converters, as a queryset does.

Nothing here replaces a guard of the database: a refused row is refused as before.
"""

# ruff: noqa: S608  (the SQL is assembled from model metadata; every value is a parameter)
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model

M = TypeVar("M", bound=Model)


def quote(name: str) -> str:
    return f'"{name}"'


def _column(field: Field[Any, Any]) -> str:
    assert field.column is not None, field  # a concrete field has a column
    return quote(field.column)


class _Names:
    """A model for str.format: `{t}` its quoted table, `{t.field}` a field's quoted column."""

    def __init__(self, model: type[Model]) -> None:
        self._model = model

    def __format__(self, spec: str) -> str:
        return quote(self._model._meta.db_table)

    def __getattr__(self, name: str) -> str:
        field = self._model._meta.get_field(name)
        assert isinstance(field, Field)
        return _column(field)


def sql(template: str, **models: type[Model]) -> str:
    """`template` with each `{alias}` and `{alias.field}` replaced by the model's quoted names
    (its `%s` placeholders are left for the cursor)."""
    return template.format(**{alias: _Names(model) for alias, model in models.items()})


class Insert:
    """`INSERT INTO table (fields…) VALUES (%s, …)` and an optional tail (`RETURNING …`, `ON CONFLICT …`)."""

    def __init__(self, model: type[Model], fields: Sequence[str], tail: str = "") -> None:
        meta = model._meta
        self.fields: list[Field[Any, Any]] = []
        for name in fields:
            field = meta.get_field(name)
            assert isinstance(field, Field) and field.concrete
            self.fields.append(field)
        columns = ", ".join(_column(f) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks}){tail}"
        self.returns = "RETURNING" in tail.upper()

    def params(self, connection: BaseDatabaseWrapper, values: Sequence[Any]) -> list[Any]:
        """The values as the database receives them (what `Model.save()` would send)."""
        return [field.get_db_prep_save(value, connection)
                for field, value in zip(self.fields, values, strict=True)]

    def run(self, connection: BaseDatabaseWrapper, values: Sequence[Any]) -> Any:
        """Insert one row; the first column of the row `RETURNING` gives, or else the row count."""
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params(connection, values))
            if self.returns:
                row = cursor.fetchone()
                return None if row is None else row[0]
            return cursor.rowcount

    def run_many(self, connection: BaseDatabaseWrapper, rows: Iterable[Sequence[Any]]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, [self.params(connection, values) for values in rows])


Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]


class Loader(Generic[M]):
    """Instances of `model` from rows of its concrete columns (`columns` gives them, in order)."""

    def __init__(self, model: type[M]) -> None:
        self.model = model
        self.fields: list[Field[Any, Any]] = list(model._meta.concrete_fields)
        self._converters: dict[str, list[list[Converter]]] = {}

    def columns(self, alias: str = "") -> str:
        prefix = f"{quote(alias)}." if alias else ""
        return ", ".join(prefix + _column(f) for f in self.fields)

    def _for(self, connection: BaseDatabaseWrapper) -> list[list[Converter]]:
        found = self._converters.get(connection.vendor)
        if found is None:
            found = [connection.ops.get_db_converters(f.cached_col) + f.get_db_converters(connection)
                     for f in self.fields]
            self._converters[connection.vendor] = found
        return found

    def load(self, connection: BaseDatabaseWrapper, row: Sequence[Any]) -> M:
        """The instance of the row's first columns (those of `columns()`; any after them are the caller's)."""
        values = []
        for field, converters, value in zip(self.fields, self._for(connection), row[:len(self.fields)], strict=True):
            for convert in converters:
                value = convert(value, field.cached_col, connection)
            values.append(value)
        return self.model.from_db(connection.alias, [f.attname for f in self.fields], values)
