"""Reads made on every request, in statements written once per process.

Building a query through the ORM costs more than running it — on SQLite several times more: a
logged-in customer's cached page reads its session and its customer on every request, so the
compiling, not the database, was most of what such a page cost. These reads are lookups of one
row by a few columns; ``first`` writes the SELECT once per model, conditions and database and
builds the instance exactly as the ORM would (the same column converters, ``Model.from_db``),
so callers get the object ``Model.objects.filter(...).first()`` would give them.

``first_of`` does the same for a queryset with joins and annotations (``select_related``,
``annotate``): compiled once by the ORM, its rows built by the ORM's own populators.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections, models
from django.db.models.base import ModelState
from django.db.models.query import get_related_populators
from django.db.models.signals import post_init, pre_init

from shopassist.core.prepared import kept_plan_cursor

_OPERATORS = {"exact": "=", "gt": ">"}


@dataclass(frozen=True)
class _Statement:
    sql: str
    attnames: list[str]
    converters: list  # (column index, converters, column expression), as the ORM applies them
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
        converters = []
        for index, field in enumerate(fields):
            column = field.get_col(table)
            column_converters = connection.ops.get_db_converters(column) + field.get_db_converters(
                connection
            )
            if column_converters:
                converters.append((index, column_converters, column))
        sql = "SELECT {} FROM {} WHERE {} LIMIT 1".format(  # noqa: S608 - names from _meta
            ", ".join(f"{quote(table)}.{quote(field.column)}" for field in fields),
            quote(table),
            " AND ".join(f"{quote(field.column)} {operator} %s" for field, operator in where),
        )
        statement = _Statement(sql, [field.attname for field in fields], converters, where)
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
    row = fetch_row(connection, statement.sql, params, statement.converters)
    return None if row is None else built(model, alias, statement.attnames, row)


def built(model: type[models.Model], alias: str, attnames, values) -> models.Model:
    """``model.from_db(alias, attnames, values)``: the instance the ORM gives for a row of
    these columns (the others deferred), with the row's values put in place directly instead
    of through ``Model.__init__`` and its per-field loop, a third of the cost of reading a
    customer's row. Only where ``__init__`` would do nothing more: a model that keeps
    Django's ``from_db`` and has no ``pre_init``/``post_init`` receivers (an ``ImageField``'s
    dimensions, say) is built by ``from_db`` itself."""
    if (
        model.from_db.__func__ is not models.Model.from_db.__func__
        or pre_init.has_listeners(model)
        or post_init.has_listeners(model)
    ):
        return model.from_db(alias, attnames, values)
    instance = model.__new__(model)
    # A new instance's foreign key attributes hold nothing cached: their descriptors would
    # store the value exactly as this does.
    instance.__dict__.update(zip(attnames, values, strict=True))
    state = instance._state = ModelState()
    state.adding = False
    state.db = alias
    return instance


def fetch_row(connection, sql: str, params, converters) -> list | None:
    """The first row of a statement written once per process (``kept_plan_cursor``), with the
    column converters the ORM would apply — ``converters``: (column index, converters,
    expression) — or None."""
    with kept_plan_cursor(connection) as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    row = list(row)
    for index, column_converters, expression in converters:
        for convert in column_converters:
            row[index] = convert(row[index], expression, connection)
    return row


@dataclass(frozen=True)
class _Query:
    sql: str
    params: tuple  # the queryset's own (annotations'), before the conditions'
    where: list  # (field, operator) per condition
    model: type[models.Model]
    alias: str
    converters: list  # (column index, converters, expression), as the ORM applies them
    init_list: list[str]
    model_columns: slice
    populators: list
    annotations: dict[str, int]


_queries: dict[tuple, _Query] = {}


def _query(name: str, build: Callable[[], models.QuerySet], conditions) -> _Query:
    key = (name, conditions)
    query = _queries.get(key)
    if query is None:
        queryset = build().order_by()  # no ordering: the conditions match one row
        if queryset.query.where or queryset.query.is_sliced:
            raise ValueError("precompiled.first_of: the conditions are its own, no filter")
        model, alias = queryset.model, queryset.db
        connection = connections[alias]
        compiler = queryset.query.get_compiler(alias)
        sql, params = compiler.as_sql()
        table = connection.ops.quote_name(model._meta.db_table)
        where = []
        for condition in conditions:
            name_, _sep, lookup = condition.partition("__")
            where.append((_field(model, name_), _OPERATORS[lookup or "exact"]))
        quote = connection.ops.quote_name
        sql += " WHERE {} LIMIT 1".format(
            " AND ".join(f"{table}.{quote(field.column)} {op} %s" for field, op in where)
        )
        klass_info, select = compiler.klass_info, compiler.select
        fields = klass_info["select_fields"]
        query = _Query(
            sql=sql,
            params=tuple(params),
            where=where,
            model=model,
            alias=alias,
            converters=[
                (index, *converter)
                for index, converter in compiler.get_converters(
                    [column[0] for column in select]
                ).items()
            ],
            init_list=[column[0].target.attname for column in select[fields[0] : fields[-1] + 1]],
            model_columns=slice(fields[0], fields[-1] + 1),
            populators=get_related_populators(klass_info, select, alias),
            annotations=dict(compiler.annotation_col_map),
        )
        _queries[key] = query
    return query


def _in_range(field: models.Field, value, connection) -> bool:
    if not isinstance(field, models.IntegerField) or not isinstance(value, int):
        return True
    low, high = connection.ops.integer_field_range(field.get_internal_type())
    return (low is None or value >= low) and (high is None or value <= high)


def first_of(name: str, build: Callable[[], models.QuerySet], **conditions):
    """``build().filter(**conditions).first()`` without the ordering, ``build()`` (its joins,
    ``select_related`` and annotations, no filter) built and compiled once per process under
    ``name``: the object, its related objects and annotations as the ORM gives them. The
    conditions are those of ``first``, on the queryset's own model."""
    if any(value is None for value in conditions.values()):
        raise ValueError("precompiled.first_of compares with =, never IS NULL: no None values")
    query = _query(name, build, tuple(conditions))
    connection = connections[query.alias]  # this thread's
    if not all(
        operator != "=" or _in_range(field, value, connection)
        for (field, operator), value in zip(query.where, conditions.values(), strict=True)
    ):
        return None  # as the ORM: a number no column can hold matches nothing, unasked
    params = [
        *query.params,
        *(
            field.get_db_prep_value(value, connection)
            for (field, _operator), value in zip(query.where, conditions.values(), strict=True)
        ),
    ]
    row = fetch_row(connection, query.sql, params, query.converters)
    if row is None:
        return None
    obj = built(query.model, query.alias, query.init_list, row[query.model_columns])
    for populator in query.populators:
        populator.populate(row, obj)
    for attribute, index in query.annotations.items():
        setattr(obj, attribute, row[index])
    return obj
