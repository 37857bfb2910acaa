"""People import: read an uploaded CSV, show what it would change, then apply it all or nothing.

Three steps, each its own function:

- :func:`parse_people_file` turns the uploaded bytes into rows (no database);
- :func:`people_import_preview` compares those rows with the organisation's
  current people and says, per row, what would happen and what is wrong
  (a constant number of queries, however long the file);
- :func:`people_import_apply` re-runs the preview inside one transaction and
  writes everything with bulk queries, or nothing.

Rows are matched to people by email address, so importing the same file twice
changes nothing the second time.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User

from . import hr_admins
from .invitations import invitations_send_new
from .models import Employee, Organization, PeopleImport, Role, Team

COLUMNS = ("email", "first_name", "last_name", "job_title", "team", "manager_email", "role")
REQUIRED_COLUMNS = ("email", "first_name")

# The longest value each column may hold: the model fields' own limits, so the
# preview refuses what the database would refuse.
MAX_LENGTHS = {
    "email": User._meta.get_field("email").max_length,
    "first_name": Employee._meta.get_field("first_name").max_length,
    "last_name": Employee._meta.get_field("last_name").max_length,
    "job_title": Employee._meta.get_field("job_title").max_length,
    "team": Team._meta.get_field("name").max_length,
    "manager_email": User._meta.get_field("email").max_length,
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

ACTION_NEW = "new"
ACTION_UPDATE = "update"
ACTION_UNCHANGED = "unchanged"

# Excel writes "sep=;" as a first line when asked to; it names the separator.
SEP_LINE = re.compile(r"sep=([;,\t])", re.IGNORECASE)
# Control characters that never occur in a spreadsheet's text; tab, CR and LF do.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Lookups by email go in chunks that stay under SQLite's oldest parameter limit.
EMAIL_CHUNK = 900
BATCH_SIZE = 500
# How many people of a reporting-line circle a problem names before it cuts the chain short.
CYCLE_SHOWN = 6


class PeopleFileError(ValidationError):
    """The file as a whole cannot be used: too big, not text, no usable header. Nothing is stored."""


@dataclass(frozen=True)
class ParsedRow:
    line: int
    values: dict[str, str]
    problems: tuple[str, ...] = ()


@dataclass
class ParsedFile:
    text: str
    encoding: str
    delimiter: str
    columns: tuple[str, ...]
    rows: list[ParsedRow]
    notices: list[str] = field(default_factory=list)


# Parsing: bytes to rows, no database.


def parse_people_file(raw: bytes) -> ParsedFile:
    """Read an uploaded people file; raises PeopleFileError (and nothing else) for a file it cannot use.

    Protects the server from oversized and binary uploads: the byte limit is
    checked before decoding and the row limit while reading.
    """
    limit = settings.PEOPLE_IMPORT_MAX_BYTES
    if len(raw) > limit:
        raise PeopleFileError(
            _("This file is larger than %(limit)s; split it into smaller files.") % {"limit": _megabytes(limit)},
            code="too_large",
        )
    if b"\x00" in raw:
        raise _not_text_error()
    text, encoding = _decode(raw)
    return parse_people_text(text, encoding=encoding)


def parse_people_text(text: str, *, encoding: str = "utf-8") -> ParsedFile:
    """Split decoded text into rows under the header; raises PeopleFileError for a file-level problem.

    The preview calls this again on the stored text, so a file is always read
    the same way from upload to apply.
    """
    text = text.removeprefix("\ufeff").removesuffix("\x1a")  # BOM; DOS end-of-file marker
    if CONTROL_CHARACTERS.search(text):
        raise _not_text_error()
    stream = io.StringIO(text, newline="")
    header_line, header_line_number, delimiter = _header(stream)
    header = _cells(header_line, delimiter, header_line_number)
    positions, unknown = _column_positions(header)
    missing = [column for column in REQUIRED_COLUMNS if column not in positions]
    if missing:
        found = ", ".join(cell.strip()[:40] for cell in header[:8] if cell.strip())
        raise PeopleFileError(
            _(
                "The first line must name the columns; the column %(missing)s is missing. "
                "The first line now holds: %(found)s."
            )
            % {"missing": ", ".join(missing), "found": found or "—"},
            code="missing_columns",
        )
    notices = []
    if unknown:
        notices.append(_("These columns are not used and were ignored: %(columns)s.") % {"columns": ", ".join(unknown)})
    rows = _rows(stream, delimiter, header_line_number, len(header), positions)
    if not rows:
        raise PeopleFileError(_("This file has a header line but no people under it."), code="no_rows")
    return ParsedFile(
        text=text,
        encoding=encoding,
        delimiter=delimiter,
        columns=tuple(column for column in COLUMNS if column in positions),
        rows=rows,
        notices=notices,
    )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


def file_limits() -> dict:
    """The largest file HR may upload, for the form's help text: {"size": "2 MB", "rows": 5000}."""
    return {"size": _megabytes(settings.PEOPLE_IMPORT_MAX_BYTES), "rows": settings.PEOPLE_IMPORT_MAX_ROWS}


def _not_text_error() -> PeopleFileError:
    return PeopleFileError(
        _(
            "This is not a CSV text file. In your spreadsheet, choose Save as, then "
            "“CSV UTF-8 (comma delimited)” or “CSV (semicolon delimited)”, and upload that file."
        ),
        code="not_text",
    )


def _decode(raw: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) first; otherwise Windows-1252, which Dutch Excel writes for plain CSV."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise _not_text_error() from None


def _header(stream: io.StringIO) -> tuple[str, int, str]:
    """The first non-blank line, its line number, and the separator (from "sep=" or counted on it)."""
    delimiter = None
    line_number = 0
    for line in iter(stream.readline, ""):
        line_number += 1
        if not line.strip():
            continue
        declared = SEP_LINE.fullmatch(line.strip())
        if declared and delimiter is None:
            delimiter = declared[1]
            continue
        if delimiter is None:
            delimiter = ";" if line.count(";") > line.count(",") else ","
        return line, line_number, delimiter
    raise PeopleFileError(_("This file is empty."), code="empty")


def _cells(line: str, delimiter: str, line_number: int) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        raise _unreadable_line_error(line_number) from None


def _unreadable_line_error(line: int) -> PeopleFileError:
    return PeopleFileError(
        _("Line %(line)d could not be read; check its quotation marks.") % {"line": line}, code="unreadable"
    )


def _column_name(cell: str) -> str:
    return re.sub(r"[\s\-]+", "_", cell.strip().lower())


def _column_positions(header: list[str]) -> tuple[dict[str, int], list[str]]:
    positions = {}
    unknown = []
    for index, cell in enumerate(header):
        name = _column_name(cell)
        if not name:
            continue  # Excel's trailing separators make nameless columns
        if name not in COLUMNS:
            unknown.append(cell.strip()[:40])
        elif name in positions:
            raise PeopleFileError(
                _("The column %(column)s appears twice in the first line.") % {"column": name},
                code="duplicate_column",
            )
        else:
            positions[name] = index
    return positions, unknown


def _rows(stream, delimiter, header_line_number, width, positions) -> list[ParsedRow]:
    max_rows = settings.PEOPLE_IMPORT_MAX_ROWS
    reader = csv.reader(stream, delimiter=delimiter)
    rows = []
    lines_read = 0
    while True:
        line = header_line_number + lines_read + 1  # where the next record starts
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            raise _unreadable_line_error(line) from None
        lines_read = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= max_rows:
            raise PeopleFileError(
                _("This file has more than %(limit)d people; split it into smaller files.") % {"limit": max_rows},
                code="too_many_rows",
            )
        # Stored as typed, also a cell starting with = + - @: Helder never evaluates it and templates
        # escape it; an export must neutralise such cells for spreadsheets (docs/security.md).
        values = {column: cells[index].strip() if index < len(cells) else "" for column, index in positions.items()}
        problems = ()
        if any(cell.strip() for cell in cells[width:]):
            problems = (
                _(
                    "This line has more values than the first line has columns; a value with a separator "
                    "in it needs quotation marks."
                ),
            )
        rows.append(ParsedRow(line=line, values=values, problems=problems))
    return rows


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


def normalise_email(value: str) -> str:
    """The form in which Helder stores an email address: trimmed and lower-case."""
    return User.objects.normalize_email(value.strip()).lower()


# Preview: rows against the organisation's current people.


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class PreviewRow:
    line: int
    values: dict[str, str]
    email: str = ""
    problems: list[str] = field(default_factory=list)
    action: str | None = None
    changes: list[Change] = field(default_factory=list)
    role: str | None = None  # None: keep the existing role (employee for someone new)
    role_label: str = ""
    team_name: str | None = None  # the team's exact name, existing or to be created
    new_team: bool = False
    manager_email: str | None = None
    employee: Employee | None = None  # the existing membership this row updates

    @property
    def full_name(self) -> str:
        return f"{self.values.get('first_name', '')} {self.values.get('last_name', '')}".strip()


@dataclass
class Preview:
    rows: list[PreviewRow] = field(default_factory=list)
    columns: tuple[str, ...] = ()
    problems: list[str] = field(default_factory=list)  # about the file as a whole
    notices: list[str] = field(default_factory=list)
    new_teams: list[str] = field(default_factory=list)

    @property
    def has_problems(self) -> bool:
        return bool(self.problems) or any(row.problems for row in self.rows)

    @property
    def counts(self) -> dict[str, int]:
        counts = {"rows": len(self.rows), "new": 0, "updated": 0, "unchanged": 0, "problems": 0}
        for row in self.rows:
            if row.problems:
                counts["problems"] += 1
            elif row.action == ACTION_NEW:
                counts["new"] += 1
            elif row.action == ACTION_UPDATE:
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
        counts["new_teams"] = len(self.new_teams)
        return counts


def people_import_preview(*, organization: Organization, content: str) -> Preview:
    """What importing ``content`` into ``organization`` would do, row by row, without writing anything.

    Protects the organisation's invariants before anything is saved: every
    row has a valid, unique email and a first name, values fit their columns,
    roles are known, every manager is in the file or an active member, and
    the reporting lines have no loops once the file's rows override the
    current ones. Reads the organisation's people and teams in two queries,
    whatever the number of rows. Reveals nothing about other organisations:
    an address with a login elsewhere is simply a new member here.
    """
    try:
        parsed = parse_people_text(content)
    except PeopleFileError as error:
        return Preview(problems=error.messages)

    people = list(Employee.objects.filter(organization=organization).select_related("user", "team"))
    teams = list(Team.objects.filter(organization=organization))
    existing = {person.user.email.lower(): person for person in people}
    email_by_id = {person.pk: person.user.email.lower() for person in people}
    active_emails = {email for email, person in existing.items() if person.is_active}

    preview = Preview(columns=parsed.columns, notices=list(parsed.notices))
    rows = [_checked_row(parsed_row, parsed.columns) for parsed_row in parsed.rows]
    preview.rows = rows
    _flag_duplicates(rows)
    file_emails = {row.email for row in rows if row.email}

    for row in rows:
        person = existing.get(row.email) if row.email else None
        if person is not None and not person.is_active:
            row.problems.append(
                _("%(email)s has been deactivated in this organisation; reactivate them first or remove this line.")
                % {"email": row.email}
            )
        row.employee = person
        if row.manager_email:
            if row.manager_email not in file_emails and row.manager_email not in active_emails:
                row.problems.append(
                    _("The manager %(email)s is neither in this file nor an active member of this organisation.")
                    % {"email": row.manager_email}
                )

    _flag_cycles(rows, people, email_by_id, parsed.columns)
    _resolve_teams(preview, teams)
    _decide_actions(rows, parsed.columns, email_by_id)
    _check_hr_admin_remains(preview, people)
    return preview


def _checked_row(parsed_row: ParsedRow, columns: tuple[str, ...]) -> PreviewRow:
    """The checks that need only the row itself."""
    values = parsed_row.values
    row = PreviewRow(line=parsed_row.line, values=values, problems=list(parsed_row.problems))
    for column, limit in MAX_LENGTHS.items():
        length = len(values.get(column, ""))
        if length > limit:
            row.problems.append(
                _("The %(column)s is too long: at most %(limit)d characters, this one has %(length)d.")
                % {"column": column, "limit": limit, "length": length}
            )
    if not values.get("email"):
        row.problems.append(_("The email address is missing."))
    elif len(values["email"]) <= MAX_LENGTHS["email"]:
        email = normalise_email(values["email"])
        if _is_email(email):
            row.email = email
        else:
            row.problems.append(_("“%(value)s” is not a valid email address.") % {"value": values["email"]})
    if not values.get("first_name"):
        row.problems.append(_("The first name is missing."))
    if values.get("role"):
        try:
            row.role = role_from_text(values["role"])
        except ValueError:
            row.problems.append(
                _("“%(value)s” is not a role; use employee, manager or hr_admin.") % {"value": values["role"]}
            )
    manager = values.get("manager_email", "")
    if manager and len(manager) <= MAX_LENGTHS["manager_email"]:
        manager_email = normalise_email(manager)
        if not _is_email(manager_email):
            row.problems.append(
                _("The manager's email address “%(value)s” is not a valid email address.") % {"value": manager}
            )
        elif manager_email == row.email:
            row.problems.append(_("A person cannot be their own manager."))
        else:
            row.manager_email = manager_email
    return row


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _flag_duplicates(rows: list[PreviewRow]) -> None:
    lines_by_email: dict[str, list[int]] = {}
    for row in rows:
        if row.email:
            lines_by_email.setdefault(row.email, []).append(row.line)
    for row in rows:
        lines = lines_by_email.get(row.email, [])
        if len(lines) > 1:
            others = ", ".join(str(line) for line in lines if line != row.line)
            row.problems.append(
                _("This email address is also on line %(lines)s; each person may appear once.") % {"lines": others}
            )


def _flag_cycles(rows, people, email_by_id, columns) -> None:
    """Flag rows whose reporting line would go round in a circle once the file is applied.

    The picture is the organisation's current lines (everyone, also people
    the file does not mention) with each row's manager replacing the current
    one. Every person is walked once, so a 5,000-row file stays fast.
    """
    lines: dict[str, str | None] = {email_by_id[person.pk]: email_by_id.get(person.manager_id) for person in people}
    if "manager_email" in columns:
        seen = set()
        for row in rows:
            if row.email and row.email not in seen:
                seen.add(row.email)
                lines[row.email] = row.manager_email
    in_cycle: dict[str, list[str]] = {}
    done: set[str] = set()
    for start in lines:
        if start in done:
            continue
        path: list[str] = []
        position: dict[str, int] = {}
        node = start
        while node is not None and node not in done and node not in position:
            position[node] = len(path)
            path.append(node)
            node = lines.get(node)
        if node is not None and node in position:
            cycle = path[position[node] :]
            for member in cycle:
                in_cycle[member] = cycle
        done.update(path)
    for row in rows:
        cycle = in_cycle.get(row.email)
        if cycle and len(cycle) > 1:
            start = cycle.index(row.email)
            chain = cycle[start:] + cycle[:start] + [row.email]
            if len(chain) > CYCLE_SHOWN + 1:
                # Every member of a long circle gets this message; naming them all would make it quadratic.
                chain = [*chain[:CYCLE_SHOWN], "…", row.email]
            row.problems.append(
                _("The reporting line would go round in a circle: %(chain)s.") % {"chain": " → ".join(chain)}
            )


def _resolve_teams(preview: Preview, teams: list[Team]) -> None:
    """Match team names to existing teams (exact, then ignoring case); the rest become new teams."""
    exact = {team.name: team.name for team in teams}
    folded: dict[str, str] = {}
    for team in teams:
        folded.setdefault(team.name.casefold(), team.name)
    new_teams: dict[str, str] = {}
    for row in preview.rows:
        name = row.values.get("team", "")
        if not name:
            continue
        existing = exact.get(name) or folded.get(name.casefold())
        if existing is not None:
            row.team_name = existing
        else:
            row.team_name = new_teams.setdefault(name.casefold(), name)
            row.new_team = True
    preview.new_teams = list(new_teams.values())


def _decide_actions(rows, columns, email_by_id) -> None:
    labels = {
        name: capfirst(Employee._meta.get_field(name).verbose_name)
        for name in ("first_name", "last_name", "job_title", "role", "team", "manager")
    }
    role_labels = dict(Role.choices)
    for row in rows:
        person = row.employee
        final_role = row.role or (person.role if person else Role.EMPLOYEE)
        row.role_label = str(role_labels.get(final_role, final_role))
        if row.problems:
            continue
        if person is None:
            row.action = ACTION_NEW
            continue
        changes = []
        for name in ("first_name", "last_name", "job_title"):
            if name in columns and row.values[name] != getattr(person, name):
                changes.append(Change(labels[name], getattr(person, name), row.values[name]))
        if row.role and row.role != person.role:
            changes.append(Change(labels["role"], str(role_labels[person.role]), row.role_label))
        if "team" in columns:
            current = person.team.name if person.team else None
            if row.team_name != current:
                changes.append(Change(labels["team"], current or "", row.team_name or ""))
        if "manager_email" in columns:
            current = email_by_id.get(person.manager_id)
            if row.manager_email != current:
                changes.append(Change(labels["manager"], current or "", row.manager_email or ""))
        row.changes = changes
        row.action = ACTION_UPDATE if changes else ACTION_UNCHANGED


def _check_hr_admin_remains(preview: Preview, people: list[Employee]) -> None:
    """Refuse a file that would leave no HR admin who can log in (hr_admins; nobody could undo it).

    New people do not count: they can act only after accepting their invitation.
    """
    roles = {row.employee.pk: row.role for row in preview.rows if row.employee is not None and row.role}
    if not hr_admins.hr_admins_remain(people=people, roles=roles):
        preview.problems.append(hr_admins.rule_message())


# Upload and apply: the writes.


def people_import_create(
    *, organization: Organization, uploaded_by: Employee | None, file_name: str, raw: bytes
) -> PeopleImport:
    """Store an uploaded file for its preview; raises PeopleFileError, storing nothing, for an unusable file.

    Only the decoded text is kept, so the preview and the apply read exactly
    what was checked. Uploading the same file twice stores two drafts;
    neither changes any person until it is applied.
    """
    parsed = parse_people_file(raw)
    return PeopleImport.objects.create(
        organization=organization, uploaded_by=uploaded_by, file_name=file_name[:255], content=parsed.text
    )


def people_import_apply(*, people_import: PeopleImport, actor: Employee | None) -> dict:
    """Apply a previewed file: every row or none, and each file once.

    Inside one transaction it claims the import with a conditional update (a
    double click or a second tab gets "already imported"), re-runs the preview
    against the data as it is now, and raises ValidationError, saving nothing,
    when any row has a problem. Then it creates teams, logins (without a
    usable password) and memberships, updates changed people and sets
    managers, all in bulk. Running the same file again changes nothing,
    because rows are matched by email (this organisation's members only).
    A row whose address already has a login elsewhere gets a membership that
    stays shut until the login's owner accepts the invitation sent after the
    commit, as in services.person_create. The organisation row is locked
    throughout (hr_admins.hr_admin_kept), so an import and a concurrent role
    change cannot together leave no HR admin who can log in. Returns the counts, also stored on the
    import as its summary.
    """
    organization = people_import.organization
    now = timezone.now()
    try:
        with transaction.atomic(), hr_admins.hr_admin_kept(organization_id=organization.pk):
            claimed = PeopleImport.objects.filter(
                pk=people_import.pk, organization=organization, applied_at__isnull=True
            ).update(applied_at=now)
            if claimed != 1:
                raise ValidationError(_("This file has already been imported."), code="already_applied")
            preview = people_import_preview(organization=organization, content=people_import.content)
            if preview.has_problems:
                raise ValidationError(
                    _(
                        "Nothing was imported: the file has problems with the people as they are now. "
                        "Check the preview, correct the file and upload it again."
                    ),
                    code="problems",
                )
            invitees = _write(organization, preview)
            invitations_send_new(employees=invitees or [], actor=actor)
            summary = {**preview.counts, "applied_by": actor.pk if actor else None}
            PeopleImport.objects.filter(pk=people_import.pk, organization=organization).update(summary=summary)
    except IntegrityError:
        # Someone added the same person or team while this ran; the transaction is rolled back whole.
        raise ValidationError(
            _("Nothing was imported: the people of this organisation changed meanwhile. Please try again."),
            code="conflict",
        ) from None
    people_import.applied_at = now
    people_import.summary = summary
    return summary


def _write(organization: Organization, preview: Preview) -> list[Employee]:
    """Write the previewed rows; returns the new memberships of logins that existed already (to invite)."""
    rows = preview.rows
    columns = preview.columns

    Team.objects.bulk_create([Team(organization=organization, name=name) for name in preview.new_teams])
    teams = {team.name: team for team in Team.objects.filter(organization=organization)}

    new_rows = [row for row in rows if row.action == ACTION_NEW]
    users = _users_by_email([row.email for row in new_rows])
    known = [user.pk for user in users.values()]  # logins that exist already: never attached silently
    missing = [row.email for row in new_rows if row.email not in users]
    # Unusable passwords: these people get in through an invitation, never a guessed password.
    User.objects.bulk_create([User(email=email, password=make_password(None)) for email in missing], BATCH_SIZE)
    users.update(_users_by_email(missing))

    Employee.objects.bulk_create(
        [
            Employee(
                organization=organization,
                user=users[row.email],
                first_name=row.values["first_name"],
                last_name=row.values.get("last_name", ""),
                job_title=row.values.get("job_title", ""),
                role=row.role or Role.EMPLOYEE,
                team=teams[row.team_name] if row.team_name else None,
            )
            for row in new_rows
        ],
        batch_size=BATCH_SIZE,
    )
    invitees = []
    for start in range(0, len(known), EMAIL_CHUNK):
        chunk = known[start : start + EMAIL_CHUNK]
        User.objects.filter(pk__in=chunk, is_active=False).update(is_active=True)  # an active membership again
        invitees += Employee.objects.filter(organization=organization, user_id__in=chunk)

    updated = []
    for row in rows:
        if row.action != ACTION_UPDATE:
            continue
        person = row.employee
        for name in ("first_name", "last_name", "job_title"):
            if name in columns:
                setattr(person, name, row.values[name])
        if row.role:
            person.role = row.role
        if "team" in columns:
            person.team = teams[row.team_name] if row.team_name else None
        updated.append(person)
    Employee.objects.bulk_update(
        updated, ["first_name", "last_name", "job_title", "role", "team"], batch_size=BATCH_SIZE
    )

    if "manager_email" not in columns:
        return invitees
    # Managers last: a row may name a manager who is created a few lines further down.
    ids = {
        email.lower(): (pk, manager_id)
        for email, pk, manager_id in Employee.objects.filter(organization=organization).values_list(
            "user__email", "pk", "manager_id"
        )
    }
    managed = []
    for row in rows:
        pk, current = ids[row.email]
        target = ids[row.manager_email][0] if row.manager_email else None
        if target != current:
            managed.append(Employee(pk=pk, manager_id=target))
    Employee.objects.bulk_update(managed, ["manager"], batch_size=BATCH_SIZE)
    return invitees


def _users_by_email(emails: list[str]) -> dict[str, User]:
    """Existing logins for ``emails`` (lower-case), case-insensitively, in chunks."""
    found = {}
    for start in range(0, len(emails), EMAIL_CHUNK):
        chunk = emails[start : start + EMAIL_CHUNK]
        for user in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=chunk):
            found[user.email_lower] = user
    return found


def summary_message(summary: dict) -> str:
    """The sentence HR sees after an import."""
    message = _("The people have been imported: %(new)d new, %(updated)d updated, %(unchanged)d unchanged.") % {
        "new": summary.get("new", 0),
        "updated": summary.get("updated", 0),
        "unchanged": summary.get("unchanged", 0),
    }
    teams = summary.get("new_teams", 0)
    if teams:
        message += " " + ngettext("%(count)d new team was created.", "%(count)d new teams were created.", teams) % {
            "count": teams
        }
    return message
