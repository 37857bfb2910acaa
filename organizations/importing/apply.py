"""The writes of a people import: store an upload for its preview, then apply it, every row or none.

Rows are matched to people by email address (this organisation's members
only), so applying the same file twice changes nothing the second time.
"""

import copy

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User

from .. import audit, hr_admins
from ..invitations import invitations_send_new
from ..models import Employee, Organization, PeopleImport, Role, Team
from ..signals import person_changed
from . import extra
from .parsing import parse_people_file
from .preview import ACTION_NEW, ACTION_UPDATE, Preview, people_import_preview

# Lookups by email go in chunks that stay under SQLite's oldest parameter limit.
EMAIL_CHUNK = 900
BATCH_SIZE = 500


def people_import_create(
    *, organization: Organization, uploaded_by: Employee | None, file_name: str, raw: bytes
) -> PeopleImport:
    """Store an uploaded file for its preview; raises PeopleFileError, storing nothing, for an unusable file.

    Only what was read is kept (a CSV file's decoded text, a workbook's
    cells; parsing.parse_stored), so the preview and the apply read exactly
    what was checked. Uploading the same file twice stores two drafts;
    neither changes any person until it is applied.
    """
    parsed = parse_people_file(raw)
    return PeopleImport.objects.create(
        organization=organization, uploaded_by=uploaded_by, file_name=file_name[:255], content=parsed.text
    )


def people_import_apply(*, people_import: PeopleImport, actor: Employee | None, send_invitations: bool = False) -> dict:
    """Apply a previewed file: every row or none, and each file once.

    Inside one transaction it claims the import with a conditional update (a
    double click or a second tab gets "already imported"), re-runs the preview
    against the data as it is now, and raises ValidationError, saving nothing,
    when any row has a problem. Then it creates teams, logins (without a
    usable password) and memberships, updates changed people and sets
    managers, all in bulk. Running the same file again changes nothing,
    because rows are matched by email (this organisation's members only).
    Every new membership stays shut until the address's owner accepts an
    invitation, also one for a login that exists elsewhere.

    ``send_invitations`` invites every new membership after the commit, and
    without it none, whatever the address: whether an address already has a
    login elsewhere never changes what HR sees (issue 9). The organisation row
    is locked throughout (hr_admins.hr_admin_kept), so an import and a
    concurrent role change cannot together leave no HR admin who can log in.
    Each person whose role, team or manager it sets, and each new person, is
    announced (signals.person_changed) inside the transaction, as
    person_update and person_create do.
    Returns the counts, also stored on the import as its summary; "invited"
    is in it only when invitations were asked for.
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
            new_members, changes, members = _write(organization, preview)
            _apply_extra_columns(organization, preview, members)
            for employee_id, fields in changes.items():
                person_changed.send(
                    sender=Employee, organization_id=organization.pk, employee_id=employee_id, fields=fields
                )
            summary = {**preview.counts, "applied_by": actor.pk if actor else None}
            if send_invitations:
                invitations_send_new(employees=new_members, actor=actor)
                summary["invited"] = len(new_members)
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


# The fields an import row may change on an existing person.
WRITTEN = ["first_name", "last_name", "job_title", "role", "team"]


def _write(organization: Organization, preview: Preview) -> tuple[list[Employee], dict[int, frozenset], dict]:
    """Write the previewed rows; returns the new memberships (for the invitations), per person id which of
    signals.PERSON_FIELDS the import set or changed (every one for a new membership), and each row's membership
    by email address (for the registered columns, extra.py)."""
    rows = preview.rows
    columns = preview.columns
    numbered = "employee_number" in columns
    written = WRITTEN + ["employee_number"] if numbered else WRITTEN
    if numbered:
        _release_employee_numbers(organization, rows)

    Team.objects.bulk_create([Team(organization=organization, name=name) for name in preview.new_teams])
    teams = {team.name: team for team in Team.objects.filter(organization=organization)}

    new_rows = [row for row in rows if row.action == ACTION_NEW]
    users = _users_by_email([row.email for row in new_rows])
    known = [user.pk for user in users.values()]  # logins that exist already: never attached silently
    missing = [row.email for row in new_rows if row.email not in users]
    # Unusable passwords: these people get in through an invitation, never a guessed password.
    User.objects.bulk_create([User(email=email, password=make_password(None)) for email in missing], BATCH_SIZE)
    users.update(_users_by_email(missing))

    new_members = Employee.objects.bulk_create(
        [
            Employee(
                organization=organization,
                user=users[row.email],
                first_name=row.values["first_name"],
                last_name=row.values.get("last_name", ""),
                job_title=row.values.get("job_title", ""),
                role=row.role or Role.EMPLOYEE,
                team=teams[row.team_name] if row.team_name else None,
                employee_number=row.values.get("employee_number", ""),
            )
            for row in new_rows
        ],
        batch_size=BATCH_SIZE,
    )
    if new_members and new_members[0].pk is None:  # a database that cannot return new keys (SQLite < 3.35)
        new_members = _members(organization, [users[row.email].pk for row in new_rows])
    for start in range(0, len(known), EMAIL_CHUNK):
        chunk = known[start : start + EMAIL_CHUNK]
        User.objects.filter(pk__in=chunk, is_active=False).update(is_active=True)  # an active membership again
    audit.record_creates(new_members, via="people_import")
    changes = {member.pk: {"is_active", "role", "team", "manager"} for member in new_members}

    updated = []
    audited = []  # (the person as loaded, what the import writes): bulk_update is invisible to auditlog
    for row in rows:
        if row.action != ACTION_UPDATE:
            continue
        person = row.employee
        before = copy.copy(person)
        role, team_id = person.role, person.team_id
        for name in ("first_name", "last_name", "job_title", "employee_number"):
            if name in columns:
                setattr(person, name, row.values[name])
        if row.role:
            person.role = row.role
        if "team" in columns:
            person.team = teams[row.team_name] if row.team_name else None
        updated.append(person)
        audited.append((before, {name: getattr(person, name) for name in written}))
        moved = {"role"} if person.role != role else set()
        moved |= {"team"} if person.team_id != team_id else set()
        if moved:
            changes[person.pk] = moved
    Employee.objects.bulk_update(updated, written, batch_size=BATCH_SIZE)
    audit.record_updates(audited, via="people_import")
    by_user = {member.user_id: member for member in new_members}
    members = {row.email: row.employee if row.employee is not None else by_user[users[row.email].pk] for row in rows}

    if "manager_email" not in columns:
        return new_members, _frozen(changes), members
    # Managers last: a row may name a manager who is created a few lines further down.
    ids = {
        email.lower(): (pk, manager_id)
        for email, pk, manager_id in Employee.objects.filter(organization=organization).values_list(
            "user__email", "pk", "manager_id"
        )
    }
    managed = []
    audited = []
    for row in rows:
        pk, current = ids[row.email]
        target = ids[row.manager_email][0] if row.manager_email else None
        if target != current:
            managed.append(Employee(pk=pk, manager_id=target))
            audited.append((Employee(pk=pk, organization=organization, manager_id=current), {"manager_id": target}))
            changes.setdefault(pk, set()).add("manager")
    Employee.objects.bulk_update(managed, ["manager"], batch_size=BATCH_SIZE)
    audit.record_updates(audited, via="people_import")
    return new_members, _frozen(changes), members


def _release_employee_numbers(organization: Organization, rows) -> None:
    """Empty the numbers the file changes before any is written, so that a file may pass a number on.

    A unique constraint is checked row by row (PostgreSQL): swapping two people's numbers, or giving a new person
    the number someone else gives up, would collide halfway without this. The empty number is outside the
    constraint (employee_number_unique), and the writes that follow set every number the file gives.
    """
    changing = [
        row.employee.pk
        for row in rows
        if row.action == ACTION_UPDATE and row.employee.employee_number not in ("", row.values["employee_number"])
    ]
    for start in range(0, len(changing), EMAIL_CHUNK):
        chunk = changing[start : start + EMAIL_CHUNK]
        Employee.objects.filter(organization=organization, pk__in=chunk).update(employee_number="")


def _apply_extra_columns(organization: Organization, preview: Preview, members: dict) -> None:
    """Hand each registered column set (extra.py) the file's values of its columns, per membership."""
    present = set(preview.columns)
    for column_set in extra.column_sets():
        names = [name for name in column_set.names if name in present]
        if names:
            rows = {members[row.email]: {name: row.values[name] for name in names} for row in preview.rows}
            column_set.apply(organization=organization, rows=rows)


def _frozen(changes: dict[int, set]) -> dict[int, frozenset]:
    return {pk: frozenset(fields) for pk, fields in changes.items()}


def _members(organization: Organization, user_ids: list[int]) -> list[Employee]:
    """The memberships of ``user_ids`` in ``organization``, in chunks."""
    members = []
    for start in range(0, len(user_ids), EMAIL_CHUNK):
        chunk = user_ids[start : start + EMAIL_CHUNK]
        members += Employee.objects.filter(organization=organization, user_id__in=chunk)
    return members


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
    invited = summary.get("invited", 0)
    if invited:
        message += " " + ngettext(
            "%(count)d invitation has been sent.", "%(count)d invitations have been sent.", invited
        ) % {"count": invited}
    elif summary.get("new", 0):
        message += " " + _("No invitations have been sent; you can invite each new person from their page.")
    return message
