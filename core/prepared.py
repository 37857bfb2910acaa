"""A query built and compiled once per process, then run with each request's values: for the hottest queries.

Every organisation page asks the same question first: the membership of this login in this organisation, with its
organisation, team and manager (organizations.tenancy). Building that queryset (three joins and two subqueries)
and compiling it to SQL costs Django about 0.85 ms each time, more than PostgreSQL needs to run it (0.5 ms), and only
two of its values ever change. :class:`PreparedQuery` builds it once with stand-in values, notes where they sit
among the SQL's parameters, and from then on runs the same SQL with the real values in their places, making the
instances (with what ``select_related`` joined, and the annotations) as Django's own ModelIterable does.

The same holds for the queries of "What is expected of me" (expectations.selectors), which every employee opens,
and for the team grid's reports and cycles (cycles.selectors_year). A query is built and compiled with the scopes
off (django-scopes would put the first request's organisation into it for good): the queryset must name its
organisation among the values, as every selector does anyway.

The query runs through Django's cursor, so the execute wrappers and the query count of the tests see it. Where each
value goes is found by compiling once more with only that value changed: a constant of the query that happens to
equal a stand-in (``Exists``' ``1``) stays where it is, a value the query uses twice goes to both places, and a value
it does not use at all is refused.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.query import get_related_populators
from django_scopes import scopes_disabled


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slots: dict  # position among params -> name of the value that goes there (a name may have several)
    compiler: object  # the SQLCompiler: its select, converters and klass_info make the instances
    init_list: list
    start: int
    end: int
    populators: list
    annotations: dict


def _another(stand_in):
    """A stand-in different from ``stand_in``, of its type (a number further from 0, so as true as it)."""
    if isinstance(stand_in, str):
        return stand_in + "\u2063"
    if isinstance(stand_in, date):
        return stand_in + timedelta(days=1)
    return stand_in - 1 if stand_in < 0 else stand_in + 1


class PreparedQuery:
    """``build(**values)`` returns a queryset; ``stand_ins`` gives each value's stand-in, used once to compile it."""

    def __init__(self, build, **stand_ins):
        self.build = build
        self.stand_ins = stand_ins
        self._compiled: dict[tuple, _Compiled] = {}

    def first(self, using: str = DEFAULT_DB_ALIAS, **values):
        """The first instance the queryset of ``values`` gives, or None."""
        found = self.rows(using, **values)
        return found[0] if found else None

    def rows(self, using: str = DEFAULT_DB_ALIAS, **values) -> list:
        """The instances the queryset of ``values`` gives, in its order."""
        compiled = self._compile(using)
        params = [
            values[compiled.slots[at]] if at in compiled.slots else param for at, param in enumerate(compiled.params)
        ]
        with connections[using].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        found = []
        for row in compiled.compiler.results_iter(results=[rows]):
            instance = compiled.compiler.query.model.from_db(
                using, compiled.init_list, row[compiled.start : compiled.end]
            )
            for populator in compiled.populators:
                populator.populate(row, instance)
            for name, position in compiled.annotations.items():
                setattr(instance, name, row[position])
            found.append(instance)
        return found

    def _compile(self, using: str) -> _Compiled:
        # Per database and settings of its connection (the test runner points one alias at another database).
        connection = connections[using]
        key = (using, connection.vendor, connection.settings_dict["NAME"])
        if key not in self._compiled:
            with scopes_disabled():
                self._compiled[key] = self._compiled_for(using)
        return self._compiled[key]

    def _compiled_for(self, using: str) -> _Compiled:
        compiler = self.build(**self.stand_ins).query.get_compiler(using=using)
        sql, params = compiler.as_sql()  # also fills compiler.select, klass_info and annotation_col_map
        slots = {}
        for name, stand_in in self.stand_ins.items():
            # Where the value goes: the parameters that change when only its stand-in does (one, or more where
            # the query uses it twice). A parameter that merely equals the stand-in (Exists' 1, a constant of the
            # query) does not change with it.
            other = self.build(**{**self.stand_ins, name: _another(stand_in)}).query.get_compiler(using=using)
            other_sql, other_params = other.as_sql()
            if other_sql != sql:
                raise ImproperlyConfigured(f"The query's SQL depends on the value of {name!r}: prepare one per shape.")
            moved = [at for at, param in enumerate(other_params) if param != params[at]]
            if not moved:
                raise ImproperlyConfigured(f"{name!r} is none of the query's parameters.")
            slots.update(dict.fromkeys(moved, name))
        fields = compiler.klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        return _Compiled(
            sql=sql,
            params=tuple(params),
            slots=slots,
            compiler=compiler,
            init_list=[column[0].target.attname for column in compiler.select[start:end]],
            start=start,
            end=end,
            populators=get_related_populators(compiler.klass_info, compiler.select, using),
            annotations=dict(compiler.annotation_col_map or {}),
        )
