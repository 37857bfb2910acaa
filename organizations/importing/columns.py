"""What a people file may hold: its columns, how long each value may be, and the words for each role.

Shared by the parser (which columns a header names) and the preview (which
values fit). Reads no file and no database.
"""

import re

from django.conf import settings
from django.utils import translation

from accounts.models import User

from ..logins import normalise_email  # noqa: F401 - the importer's name for it since before logins.py
from ..models import Employee, Role, Team
from . import extra

COLUMNS = ("email", "first_name", "last_name", "job_title", "team", "manager_email", "role", "employee_number")
REQUIRED_COLUMNS = ("email", "first_name")

# Other header words for the import's own columns (after column_name): the Dutch word payroll files use.
HEADER_ALIASES = {"personeelsnummer": "employee_number"}

# The longest value each column may hold: the model fields' own limits, so the
# preview refuses what the database would refuse.
MAX_LENGTHS = {
    "email": User._meta.get_field("email").max_length,
    "first_name": Employee._meta.get_field("first_name").max_length,
    "last_name": Employee._meta.get_field("last_name").max_length,
    "job_title": Employee._meta.get_field("job_title").max_length,
    "team": Team._meta.get_field("name").max_length,
    "manager_email": User._meta.get_field("email").max_length,
    "employee_number": Employee._meta.get_field("employee_number").max_length,
}

# Role words people type in a spreadsheet, compared after _role_key(). The
# labels of Role in every language are added at call time (see role_from_text).
ROLE_WORDS = {
    "employee": Role.EMPLOYEE,
    "medewerker": Role.EMPLOYEE,
    "werknemer": Role.EMPLOYEE,
    "manager": Role.MANAGER,
    "leidinggevende": Role.MANAGER,
    "hradmin": Role.HR_ADMIN,
    "hrbeheerder": Role.HR_ADMIN,
    "hradministrator": Role.HR_ADMIN,
}


def column_name(cell: str) -> str:
    """The column a header cell names: " First Name " and "first-name" both name first_name."""
    return re.sub(r"[\s\-]+", "_", cell.strip().lower())


def known_column(cell: str) -> str | None:
    """The column a header cell names: one of COLUMNS (also by an alias) or a registered one (extra); None if none."""
    name = column_name(cell)
    name = HEADER_ALIASES.get(name, name)
    if name in COLUMNS:
        return name
    for column in extra.extra_columns():
        if name == column.name or name in column.headers:
            return column.name
    return None


def all_columns() -> tuple[str, ...]:
    """The import's own columns, then every registered one, in the order a preview lists them."""
    return COLUMNS + tuple(column.name for column in extra.extra_columns())


def role_from_text(text: str) -> str | None:
    """The Role meant by ``text`` (value or label, Dutch or English, any case); None when blank.

    Raises ValueError for a word that is no role.
    """
    key = _role_key(text)
    if not key:
        return None
    if key in ROLE_WORDS:
        return ROLE_WORDS[key]
    for value, label in Role.choices:
        if key == _role_key(value):
            return value
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                if key == _role_key(str(label)):
                    return value
    raise ValueError(text)


def _role_key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", text.casefold())
