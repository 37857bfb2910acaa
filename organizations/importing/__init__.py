"""People import: read an uploaded CSV file or Excel workbook, show what it would change, then apply it all or nothing.

Each step is its own module:

- parsing (with workbook for .xlsx) turns the uploaded bytes into rows under
  their columns, without the database; columns says which columns and role
  words a file may use;
- preview compares those rows with the organisation's current people and
  says, per row, what would happen and what is wrong (a constant number of
  queries, however long the file);
- apply stores an upload for its preview, and later re-runs the preview
  inside one transaction and writes everything with bulk queries, or
  nothing;
- extra lets apps above organizations add columns of their own (pay: a
  person's salary scale and step), checked in the preview and written in
  the apply's transaction, without organizations importing them.

Rows are matched to people by email address, so importing the same file twice
changes nothing the second time. The names below are the package's public
ones; views, tests and the bench import them from here.
"""

from .apply import people_import_apply, people_import_create, summary_message
from .columns import COLUMNS, REQUIRED_COLUMNS, normalise_email, role_from_text
from .extra import ColumnSet, ExtraColumn, RowCheck, column_sets, extra_columns, register_columns, unregister_columns
from .parsing import ParsedFile, ParsedRow, PeopleFileError, file_limits, parse_people_file, parse_people_text
from .preview import ACTION_NEW, ACTION_UNCHANGED, ACTION_UPDATE, Change, Preview, PreviewRow, people_import_preview

__all__ = [
    "ACTION_NEW",
    "ACTION_UNCHANGED",
    "ACTION_UPDATE",
    "COLUMNS",
    "REQUIRED_COLUMNS",
    "Change",
    "ColumnSet",
    "ExtraColumn",
    "ParsedFile",
    "ParsedRow",
    "PeopleFileError",
    "Preview",
    "PreviewRow",
    "RowCheck",
    "column_sets",
    "extra_columns",
    "file_limits",
    "normalise_email",
    "parse_people_file",
    "parse_people_text",
    "people_import_apply",
    "people_import_create",
    "people_import_preview",
    "register_columns",
    "role_from_text",
    "summary_message",
    "unregister_columns",
]
