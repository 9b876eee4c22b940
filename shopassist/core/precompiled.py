"""Reads made on every request, in statements written once per process.

Building a query through the ORM costs more than running it — on SQLite several times more: a
logged-in customer's cached page reads its session and its customer on every request, so the
compiling, not the database, was most of what such a page cost. These reads are lookups of one
row by a few columns; ``first`` writes the SELECT once per model, conditions and database and
builds the instance exactly as the ORM would (the same column converters, ``Model.from_db``),
so callers get the object ``Model.objects.filter(...).first()`` would give them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections, models

_OPERATORS = {"exact": "=", "gt": ">"}


@dataclass(frozen=True)
class _Statement:
    sql: str
    attnames: list[str]
    columns: list  # (converters, column expression) per selected field
    where: list  # (field, operator) per condition, in the order of the parameters


_statements: dict[tuple, _Statement] = {}


def _field(model, name: str) -> models.Field:
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


def _statement(model, alias: str, conditions: tuple[str, ...]) -> _Statement:
    key = (model, alias, conditions)
    statement = _statements.get(key)
    if statement is None:
        connection = connections[alias]
        quote = connection.ops.quote_name
        table = model._meta.db_table
        fields = model._meta.concrete_fields
        where = []
        for condition in conditions:
            name, _sep, lookup = condition.partition("__")
            where.append((_field(model, name), _OPERATORS[lookup or "exact"]))
        columns = []
        for field in fields:
            column = field.get_col(table)
            converters = connection.ops.get_db_converters(column) + field.get_db_converters(
                connection
            )
            columns.append((converters, column))
        sql = "SELECT {} FROM {} WHERE {} LIMIT 1".format(  # noqa: S608 - names from _meta
            ", ".join(f"{quote(table)}.{quote(field.column)}" for field in fields),
            quote(table),
            " AND ".join(f"{quote(field.column)} {operator} %s" for field, operator in where),
        )
        statement = _Statement(sql, [field.attname for field in fields], columns, where)
        _statements[key] = statement
    return statement


def first(model: type[models.Model], **conditions) -> models.Model | None:
    """``model.objects.filter(**conditions).first()`` without the ordering: the one row the
    conditions can match (a primary key or a unique column among them). Conditions name
    concrete fields, compared with ``=`` or, with ``__gt``, ``>``."""
    if any(value is None for value in conditions.values()):
        raise ValueError("precompiled.first compares with =, never IS NULL: no None values")
    alias = model._default_manager.db
    connection = connections[alias]
    names = tuple(conditions)
    statement = _statement(model, alias, names)
    params = [
        field.get_db_prep_value(value, connection)
        for (field, _operator), value in zip(statement.where, conditions.values(), strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    values = []
    for value, (converters, column) in zip(row, statement.columns, strict=True):
        for convert in converters:
            value = convert(value, column, connection)
        values.append(value)
    return model.from_db(alias, statement.attnames, values)
