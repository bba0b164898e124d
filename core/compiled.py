"""Querysets compiled to SQL once and run again with other values.

The ORM compiles a queryset's SQL anew for every evaluation, and for the case detail, with its
subqueries and nested rows, compiling took 1.7 ms of the 2.1 ms its read cost in Python: more than
PostgreSQL spent running it. A statement here is a queryset built once per key with a *slot* for
each value that changes between runs (a case's id, a token's key): it is compiled on first use on
each database connection, and each run sends the same SQL with the slots' values put in their
places, and builds its rows with the compiler's own column map and converters, as the ORM does.

The key is the caller's promise: everything the queryset is built from but the slots' values must
be in it (the viewer's role and sight, the day, the language), so that one key never stands for two
different querysets.

Only on PostgreSQL: on another database (the embedded demo's SQLite) each run evaluates the
queryset built with its values, as the ORM would.
"""

import copy
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import Lookup, Model, QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.db.transaction import TransactionManagementError

# Stand-ins for the slots while compiling: values no real row, key or count takes, each found again
# among the compiled statement's parameters.
_SLOT_INTEGER = -9_000_000_000_000_000_000
_SLOT_TEXT = "\x1fslot:"

MAX_STATEMENTS = 512


class Slot:
    """A value of a statement that each run gives, and the stand-in it is compiled with (the
    `index`-th of its kind in the statement)."""

    def __init__(self, name: str, stand_in: Any):
        self.name, self.stand_in = name, stand_in

    @classmethod
    def integer(cls, name: str, index: int) -> "Slot":
        return cls(name, _SLOT_INTEGER - index)

    @classmethod
    def text(cls, name: str, index: int) -> "Slot":
        return cls(name, f"{_SLOT_TEXT}{index}\x1f")

    @classmethod
    def integer_list(cls, name: str, index: int) -> "Slot":
        """Any number of integers as one parameter: for `AnyOf` (a list is one array)."""
        return cls(name, [_SLOT_INTEGER - 1000 - index])


class AnyOf(Lookup):
    """`column = ANY(array)` on PostgreSQL: the values as one parameter however many they are,
    where `IN (...)` takes one each (and so a statement of its own for each count of them). On
    another database, `IN (...)`.

        Case.objects.filter(AnyOf(F("pk"), [3, 5, 8]))
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [list(value)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if not values:
            raise EmptyResultSet
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        array_type = self.lhs.output_field.rel_db_type(connection)
        return f"{lhs} = ANY(({rhs})::{array_type}[])", [*lhs_params, *rhs_params]


class _BindingOnTheServer:
    """Stands for the compiler's connection in one run: its cursors bind the parameters on the
    server (psycopg's server-binding cursor) rather than in the SQL text, so that psycopg prepares
    a statement the connection has run a few times (`prepare_threshold`) and PostgreSQL plans it
    once a connection: planning the detail took it 1.3 ms of its 1.8. Everything else is the
    connection's own (its wrappers, its query log, its errors)."""

    def __init__(self, connection):
        self._connection = connection

    def cursor(self):
        return server_binding_cursor(self._connection)

    def __getattr__(self, name: str):
        return getattr(self._connection, name)


def server_binding_cursor(connection):
    """A cursor of `connection`, a PostgreSQL one (Django's, with all its wrappers), that binds
    parameters on the server."""
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    driver = connection.connection
    factory, driver.cursor_factory = driver.cursor_factory, ServerBindingCursor
    try:
        cursor = connection.cursor()
    finally:
        driver.cursor_factory = factory
    if isinstance(cursor, CursorDebugWrapper):  # queries logged (DEBUG, a test counting them)
        return _ComposedSqlDebugWrapper(cursor.cursor, connection)
    return cursor


class _ComposedSqlDebugWrapper(CursorDebugWrapper):
    """Logs a server-bound statement as the SQL text with its parameters in it: Django's log reads
    the text the driver sent, and a prepared statement sends none."""

    def execute(self, sql, params=None):
        with self.debug_sql(self.db.ops.compose_sql(sql, params or ())):
            return CursorWrapper.execute(self, sql, params)


class _Captured(Exception):
    """Carries the SQL a query was about to send, stopped before it reached the database."""


def _sql_sent_by(run: Callable[[], Any], db: str) -> tuple[str, list]:
    """The SQL and parameters `run` sends first, taken before they reach the database (and before
    any other wrapper adds to them, as pghistory adds its context) and not sent at all: not even a
    debug cursor counts it."""
    connection = connections[db]

    def capture(execute, sql, params, many, context):
        raise _Captured(sql, params)

    logged, connection.force_debug_cursor = connection.force_debug_cursor, False
    connection.execute_wrappers.insert(0, capture)
    try:
        run()
    except _Captured as captured:
        sql, params = captured.args
        return sql, list(params or [])
    finally:
        connection.execute_wrappers.remove(capture)
        connection.force_debug_cursor = logged
    raise ValueError("The query sent no SQL.")


class _Compiled:
    """One statement compiled on one connection: its SQL, its parameters with the slots' positions,
    and (for rows) the compiler that knows how to turn its rows into model instances."""

    def __init__(self, template: QuerySet, db: str, slots: dict[str, "Slot"], *, counting: bool = False):
        self.template, self.compiler, self.converters = template, None, {}
        try:
            if counting:
                self.sql, params = _sql_sent_by(template.count, db)
            else:
                # Compiling marks up the query (its aliases): a copy is compiled, the template stays.
                self.compiler = template.query.chain().get_compiler(using=db)
                self.sql, params = self.compiler.as_sql()
        except EmptyResultSet:  # a queryset that can match nothing (`none()`): no SQL to send
            self.sql, params = "", []
        self.params = list(params)
        self.positions = {
            name: [i for i, value in enumerate(self.params) if value == slot.stand_in]
            for name, slot in slots.items()
        }
        for name, positions in self.positions.items():
            if self.sql and not positions:
                raise ValueError(f"The statement's slot {name!r} is not among its parameters.")
        if self.sql and self.compiler is not None:
            columns = [column[0] for column in self.compiler.select[: self.compiler.col_count]]
            self.converters = self.compiler.get_converters(columns)

    def params_for(self, values: dict[str, Any]) -> tuple:
        params = list(self.params)
        for name, positions in self.positions.items():
            for position in positions:
                params[position] = values[name]
        return tuple(params)

    def compiler_for(self, values: dict[str, Any]) -> SQLCompiler:
        params = self.params_for(values)
        compiler = copy.copy(self.compiler)
        # This run's SQL and the converters found once; everything else is the compiler's own.
        compiler.as_sql = lambda *args, **kwargs: (self.sql, params)
        compiler.get_converters = lambda expressions: self.converters
        compiler.connection = _BindingOnTheServer(compiler.connection)
        return compiler


class _QueryOfStatement:
    """Stands for the queryset's query in one run: hands the iterable the compiled statement's
    compiler; anything else is asked of the query the statement was built from."""

    def __init__(self, query, compiler: SQLCompiler):
        self._query, self._compiler = query, compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler

    def __getattr__(self, name: str):
        return getattr(self._query, name)


class Statement:
    """A queryset built by `build(**slots)` per key, compiled once per key and connection.

    `build` receives each slot's stand-in and must filter by it as by any value (`pk=pk`)."""

    def __init__(
        self,
        build: Callable[..., QuerySet],
        *,
        integers: tuple[str, ...] = (),
        texts: tuple[str, ...] = (),
        integer_lists: tuple[str, ...] = (),
    ):
        self.build = build
        slots = [Slot.integer(name, i) for i, name in enumerate(integers)]
        slots += [Slot.text(name, i) for i, name in enumerate(texts)]
        slots += [Slot.integer_list(name, i) for i, name in enumerate(integer_lists)]
        self.slots = {slot.name: slot for slot in slots}
        self._templates: OrderedDict[Hashable, QuerySet] = OrderedDict()

    def _template(self, key: Hashable, arguments: dict[str, Any], page: slice | None) -> QuerySet:
        template = self._templates.get(key)
        if template is None:
            template = self.build(**arguments, **{name: slot.stand_in for name, slot in self.slots.items()})
            if page is not None:
                template = template[page]
            self._templates[key] = template
            if len(self._templates) > MAX_STATEMENTS:
                self._templates.popitem(last=False)
        return template

    def _compiled(
        self, key: Hashable, arguments: dict[str, Any] | None, page: slice | None, *, counting: bool = False
    ) -> tuple[str, _Compiled | None]:
        """The database this run reads and the statement compiled on its connection; no statement
        where the database is not PostgreSQL."""
        template = self._template(key, arguments or {}, page)
        db = template.db  # asked each run: the router may send this request's reads elsewhere
        connection = connections[db]
        if connection.vendor != "postgresql":
            return db, None
        if template.query.select_for_update and not transaction.get_connection(db).in_atomic_block:
            # What Django checks when it compiles, and a compiled statement is not compiled again.
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        compiled_here = connection.__dict__.setdefault("_compiled_statements", {})
        compiled = compiled_here.get((id(self), key, counting))
        if compiled is None or compiled.template is not template:
            compiled = _Compiled(template, db, self.slots, counting=counting)
            compiled_here[(id(self), key, counting)] = compiled
            if len(compiled_here) > MAX_STATEMENTS:
                compiled_here.pop(next(iter(compiled_here)))
        return db, compiled

    def _as_built(
        self, arguments: dict[str, Any] | None, page: slice | None, values: dict[str, Any]
    ) -> QuerySet:
        rows = self.build(**(arguments or {}), **values)
        return rows if page is None else rows[page]

    def rows(
        self,
        key: Hashable,
        *,
        arguments: dict[str, Any] | None = None,
        page: tuple[int, int] | None = None,
        **values: Any,
    ) -> list[Model]:
        """The rows of the statement of `key` (built with `arguments` the first time) for these
        slot values, as the queryset would have given them, its prefetches included; with `page`
        (start, stop), those of that slice only."""
        bounds = None if page is None else slice(*page)
        key = key if page is None else (key, page)
        _db, compiled = self._compiled(key, arguments, bounds)
        if compiled is None:
            return list(self._as_built(arguments, bounds, values))
        if not compiled.sql:
            return []
        template = compiled.template
        # A copy with its own result cache (the template itself is never evaluated): not
        # `copy.copy`, which pickles a queryset's state, evaluating it; nor `_clone`, which copies
        # the query this run does not compile.
        run = QuerySet.__new__(type(template))
        run.__dict__.update(template.__dict__, _result_cache=None, _prefetch_done=False)
        run.query = _QueryOfStatement(template.query, compiled.compiler_for(values))
        return list(run)

    def count(self, key: Hashable, *, arguments: dict[str, Any] | None = None, **values: Any) -> int:
        """How many rows the statement of `key` has for these slot values (its queryset's `count()`)."""
        db, compiled = self._compiled(key, arguments, None, counting=True)
        if compiled is None:
            return self._as_built(arguments, None, values).count()
        if not compiled.sql:
            return 0
        with server_binding_cursor(connections[db]) as cursor:
            cursor.execute(compiled.sql, compiled.params_for(values))
            return cursor.fetchone()[0]

    def pages(self, key: Hashable, *, arguments: dict[str, Any] | None = None, **values: Any) -> "Pages":
        """The statement's rows for a paginator: it counts them and reads one page, each with a
        statement compiled once (per page's bounds, which SQL takes as literals)."""
        return Pages(self, key, arguments or {}, values)


class Pages:
    """What a Django paginator pages through (`count()` and a slice), for a `Statement`."""

    ordered = True  # the statement's queryset orders its rows (the paginator asks)

    def __init__(
        self, statement: Statement, key: Hashable, arguments: dict[str, Any], values: dict[str, Any]
    ):
        self.statement, self.key, self.arguments, self.values = statement, key, arguments, values

    def count(self) -> int:
        return self.statement.count(self.key, arguments=self.arguments, **self.values)

    def __getitem__(self, bounds: slice) -> list[Model]:
        if not isinstance(bounds, slice) or bounds.step is not None:
            raise TypeError("A statement's rows are read a page (a slice) at a time.")
        page = (bounds.start or 0, bounds.stop)
        return self.statement.rows(self.key, arguments=self.arguments, page=page, **self.values)
