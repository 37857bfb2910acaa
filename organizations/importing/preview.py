"""The preview of a people import: what each row would do to the organisation, and every problem, before any write.

people_import_preview reads the organisation's people and teams in two
queries, whatever the number of rows, and writes nothing; the columns that
apps above register (extra.py) add a fixed number of their own, and only
when the file has them. The apply runs it
again inside its transaction, so what is applied is what these checks
passed against the data as it is then.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .. import hr_admins
from ..models import Employee, Organization, Role, Team
from . import extra
from .columns import MAX_LENGTHS, normalise_email, role_from_text
from .parsing import ParsedRow, PeopleFileError, parse_stored

ACTION_NEW = "new"
ACTION_UPDATE = "update"
ACTION_UNCHANGED = "unchanged"

# How many people of a reporting-line circle a problem names before it cuts the chain short.
CYCLE_SHOWN = 6


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
    role_label: str = ""  # the role the person will have; empty when the file's word is no role
    role_invalid: bool = False  # the role cell holds a word that is no role (values["role"], a row problem)
    team_name: str | None = None  # the team's exact name, existing or to be created
    new_team: bool = False
    manager_email: str | None = None
    employee: Employee | None = None  # the existing membership this row updates
    extras: list[str] = field(default_factory=list)  # the values of Preview.extra_columns, in their order
    extra_changes: list[Change] = field(default_factory=list)  # what the registered columns change (extra.py)

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
    extra_columns: list["extra.ExtraColumn"] = field(default_factory=list)  # the registered columns the file has

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
    roles are known, every manager is in the file or an active member, the
    reporting lines have no loops once the file's rows override the current
    ones, an employee number belongs to one person, and the registered
    columns (extra.py) pass their own checks. Reads the organisation's
    people and teams in two queries (and the registered columns' few),
    whatever the number of rows. Reveals nothing about other organisations:
    an address with a login elsewhere is simply a new member here.
    """
    try:
        parsed = parse_stored(content)
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
    _flag_employee_numbers(rows, people, parsed.columns)
    _check_extra_columns(preview, organization, people)
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
            row.role_invalid = True
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


def _flag_employee_numbers(rows: list[PreviewRow], people: list[Employee], columns) -> None:
    """Flag a number that two rows give, or that someone the file leaves alone has (unique per organisation).

    Compared with the numbers as they will be once the file is applied, so a file may swap two people's numbers.
    """
    if "employee_number" not in columns:
        return
    in_file = {row.employee.pk for row in rows if row.employee is not None}
    holders = {person.employee_number: person for person in people if person.employee_number}
    holders = {number: person for number, person in holders.items() if person.pk not in in_file}
    lines_by_number: dict[str, list[int]] = {}
    for row in rows:
        if row.values["employee_number"]:
            lines_by_number.setdefault(row.values["employee_number"], []).append(row.line)
    for row in rows:
        number = row.values["employee_number"]
        if not number:
            continue
        others = [str(line) for line in lines_by_number[number] if line != row.line]
        if others:
            row.problems.append(
                _("The employee number %(number)s is also on line %(lines)s; each number belongs to one person.")
                % {"number": number, "lines": ", ".join(others)}
            )
        holder = holders.get(number)
        if holder is not None:
            row.problems.append(
                _("%(name)s already has the employee number %(number)s in this organisation.")
                % {"name": holder.full_name, "number": number}
            )


def _check_extra_columns(preview: Preview, organization: Organization, people: list[Employee]) -> None:
    """The checks of the columns apps above register (extra.py): each set's check loads what it needs once."""
    present = set(preview.columns)
    preview.extra_columns = [column for column in extra.extra_columns() if column.name in present]
    for row in preview.rows:
        row.extras = [row.values.get(column.name, "") for column in preview.extra_columns]
    for column_set in extra.column_sets():
        names = [name for name in column_set.names if name in present]
        if not names:
            continue  # a file without the set's columns costs it no query
        check_row = column_set.check(organization=organization, people=people)
        for row in preview.rows:
            result = check_row({name: row.values[name] for name in names}, row.employee)
            row.problems.extend(result.problems)
            row.extra_changes.extend(Change(str(what), old, new) for what, old, new in result.changes)


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
        for name in ("first_name", "last_name", "job_title", "role", "team", "manager", "employee_number")
    }
    role_labels = dict(Role.choices)
    for row in rows:
        person = row.employee
        if not row.role_invalid:  # an unknown word must not read as "keeps their role" or "employee"
            final_role = row.role or (person.role if person else Role.EMPLOYEE)
            row.role_label = str(role_labels.get(final_role, final_role))
        if row.problems:
            continue
        if person is None:
            row.action = ACTION_NEW
            continue
        changes = []
        for name in ("first_name", "last_name", "job_title", "employee_number"):
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
        changes += row.extra_changes
        row.changes = changes
        row.action = ACTION_UPDATE if changes else ACTION_UNCHANGED


def _check_hr_admin_remains(preview: Preview, people: list[Employee]) -> None:
    """Refuse a file that would leave no HR admin who can log in (hr_admins; nobody could undo it).

    New people do not count: they can act only after accepting their invitation.
    """
    roles = {row.employee.pk: row.role for row in preview.rows if row.employee is not None and row.role}
    if not hr_admins.hr_admins_remain(people=people, roles=roles):
        preview.problems.append(hr_admins.rule_message())
