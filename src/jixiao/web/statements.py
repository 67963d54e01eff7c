"""Statements written once per process for the reads every page makes: the ORM compiles a
query anew on every request (about 0.3–0.5 ms each, several per page), while these are
written on first use and then only run. Each gives model instances as the ORM would: every
concrete column, through the fields' converters (dates and booleans on SQLite), with the
related instances the page reads attached (as ``select_related`` attaches them)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections

_COLUMNS: dict[tuple[Any, str], Columns] = {}
_SQL: dict[tuple[Any, ...], str] = {}


class Columns:
    """One model's columns in a statement: their names and how a row's values become an
    instance."""

    def __init__(self, model: Any, alias: str) -> None:
        connection = connections[alias]
        self.model = model
        self.alias = alias
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.converters = []
        for f in self.fields:
            col = f.cached_col
            functions = [*connection.ops.get_db_converters(col), *f.get_db_converters(connection)]
            self.converters.append([(function, col) for function in functions])

    def __len__(self) -> int:
        return len(self.fields)

    def select(self, table: str) -> str:
        """``table.column, …`` for every column, in order."""
        quote = connections[self.alias].ops.quote_name
        return ", ".join(f"{table}.{quote(f.column)}" for f in self.fields)

    def instance(self, values: Sequence[Any]) -> Any:
        connection = connections[self.alias]
        converted = []
        for value, convert in zip(values, self.converters, strict=True):
            for function, expression in convert:
                value = function(value, expression, connection)
            converted.append(value)
        return self.model.from_db(self.alias, self.attnames, converted)


def columns(model: Any, alias: str) -> Columns:
    known = _COLUMNS.get((model, alias))
    if known is None:
        known = _COLUMNS[model, alias] = Columns(model, alias)
    return known


def rows(
    alias: str,
    key: tuple[Any, ...],
    write: Callable[[Callable[[str], str]], str],
    params: list[Any],
) -> list[tuple[Any, ...]]:
    """The rows of the statement ``write(quote_name)`` gives (written once for ``key`` and
    ``alias``), run with ``params``."""
    connection = connections[alias]
    sql = _SQL.get((alias, *key))
    if sql is None:
        sql = _SQL[(alias, *key)] = write(connection.ops.quote_name)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
