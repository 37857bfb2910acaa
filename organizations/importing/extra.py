"""Columns that apps above organizations add to the people import, without organizations importing them.

An app registers a :class:`ColumnSet` from its ``AppConfig.ready`` (pay: a person's salary scale and step). The
import then treats the set's columns like its own:

- parsing: a header cell that names one of ``columns`` (its name or one of its ``headers``, compared as
  columns.column_name reads a header) is that column, no longer an unknown one;
- preview: when the file has at least one of the set's columns, ``check(organization=..., people=...)`` is called
  once per preview, with every member of the organisation as the preview read them. It loads what it needs (a
  fixed number of queries, whatever the file's length) and returns a function called per row with the row's
  values of the set's columns (only the columns the file has) and the person the row updates (None for someone
  new). That function returns a :class:`RowCheck`: translated problems, which stop the whole import like any
  other row problem, and the changes an existing person's row makes, shown in the preview;
- apply: inside the import's transaction, after people were created and updated, ``apply(organization=...,
  rows=...)`` gets ``{employee: values}`` for every row of the file (values as for the check). It writes with bulk
  queries (no query per row) and records its changes in the audit trail itself.

Registering twice under the same name keeps one set (the latest), so running ``ready`` again is harmless.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class ExtraColumn:
    name: str  # the key of the row's values ("scale")
    headers: tuple[str, ...] = ()  # other header words that name it ("schaal", "salarisschaal")
    label: str = ""  # the preview's column heading (lazy translated)
    help: str = ""  # what to put in it, on the upload page (lazy translated)


@dataclass
class RowCheck:
    problems: list[str] = field(default_factory=list)  # translated
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (what, old, new), translated


@dataclass(frozen=True)
class ColumnSet:
    name: str  # the registering app's key ("pay")
    columns: tuple[ExtraColumn, ...]
    check: Callable  # check(*, organization, people) -> Callable[[dict[str, str], Employee | None], RowCheck]
    apply: Callable  # apply(*, organization, rows: dict[Employee, dict[str, str]]) -> None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


_sets: dict[str, ColumnSet] = {}


def register_columns(column_set: ColumnSet) -> ColumnSet:
    """Add ``column_set``'s columns to the people import (replacing a set registered under the same name)."""
    from .columns import COLUMNS, HEADER_ALIASES, column_name

    taken = {*COLUMNS, *HEADER_ALIASES}
    for other in _sets.values():
        if other.name != column_set.name:
            taken |= {column.name for column in other.columns} | {h for c in other.columns for h in c.headers}
    for column in column_set.columns:
        words = {column.name, *column.headers}
        if any(column_name(word) != word for word in words) or words & taken:
            raise ImproperlyConfigured(
                f"people import: column {column.name!r} of {column_set.name!r} is taken, or not as column_name reads it"
            )
    _sets[column_set.name] = column_set
    return column_set


def unregister_columns(name: str) -> None:
    """Take the set registered as ``name`` out of the import again (for tests)."""
    _sets.pop(name, None)


def column_sets() -> list[ColumnSet]:
    """The registered sets, in registration order."""
    return list(_sets.values())


def extra_columns() -> list[ExtraColumn]:
    """Every registered column, set by set: for the upload page's list of columns and the preview's headings."""
    return [column for column_set in _sets.values() for column in column_set.columns]
