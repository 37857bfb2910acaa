"""Which cycle "my year" and the team grid show, and the grid itself, ready to print.

Each page shows one cycle: the current one (``current_cycle``), or another of the person's cycles (on "my year") or
of their reports' (on the team grid) that the page links to with ``?cycle=<id>``. A cycle being prepared has no
conversations yet, so the choice is among active and closed ones; a closed cycle stays readable.

The team grid is a manager's reports × the cycle's moments; at 40 reports and 5 moments that is 200 cells, so
each cell arrives with its badge, label, time and address worked out here, once, and each row as its cells' HTML
(the template only prints: a ``{% url %}``, a date filter or even the nine nodes of a cell, per cell, cost more than
the rest of the page together).
"""

from dataclasses import dataclass
from datetime import time
from functools import lru_cache

from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from core.prepared import PreparedQuery
from core.urls import address_maker
from organizations.models import Employee

from .models import OPEN_STATES, Conversation, ConversationState, Cycle, CycleStatus, Moment

SHOWN_STATUSES = (CycleStatus.ACTIVE, CycleStatus.CLOSED)


def cycles_of_person(*, employee: Employee) -> list[Cycle]:
    """The active and closed cycles ``employee`` has a conversation in, in calendar order. One query."""
    return _cycles_of(employee.organization_id, [employee.pk])


def _reports_query(*, organization_id: int, manager_id: int):
    return Employee.objects.filter(organization_id=organization_id, manager_id=manager_id, is_active=True).order_by(
        "sort_name", "pk"
    )


def _team_cycles_query(*, organization_id: int, manager_id: int):
    return _cycles_with(organization_id, employee__manager_id=manager_id, employee__is_active=True)


# The team grid's first two questions, compiled once (core.prepared): every manager opens it, and building them cost
# more than running them.
_REPORTS = PreparedQuery(_reports_query, organization_id=-1, manager_id=-1)
_TEAM_CYCLES = PreparedQuery(_team_cycles_query, organization_id=-1, manager_id=-1)


def reports_of(*, manager: Employee) -> list[Employee]:
    """The manager's active reports by name (the grid's rows, and what its sections read: their ``team_id``)."""
    return _REPORTS.rows(organization_id=manager.organization_id, manager_id=manager.pk)


def cycles_of_team(*, manager: Employee, reports: list[Employee]) -> list[Cycle]:
    """The active and closed cycles one of ``reports`` (``reports_of(manager)``: the manager's active reports) has
    a conversation in. One query, none without reports."""
    return _TEAM_CYCLES.rows(organization_id=manager.organization_id, manager_id=manager.pk) if reports else []


def _cycles_of(organization_id: int, people: list[int]) -> list[Cycle]:
    return list(_cycles_with(organization_id, employee_id__in=people))


def _cycles_with(organization_id: int, **conversations):
    """The active and closed cycles with a conversation that matches ``conversations`` (lookups on Conversation), in
    calendar order: a join to the conversations (conversation_one_per_moment_and_employee: per moment, these
    people), each cycle once. Cheaper to build than nested subqueries, which cost more than the query itself."""
    return (
        Cycle.objects.filter(
            organization_id=organization_id,
            status__in=SHOWN_STATUSES,
            moments__conversations__organization_id=organization_id,
            **{f"moments__conversations__{lookup}": value for lookup, value in conversations.items()},
        )
        .distinct()
        .order_by("starts_on", "pk")
    )


def current_cycle(cycles: list[Cycle], *, today=None) -> Cycle | None:
    """Of ``cycles``, the one a page shows first: the active cycle whose dates hold today, else the one nearest to
    today (an active one before a closed one; of two as near, the later, which is still to come). None: none."""
    today = today or timezone.localdate()

    def rank(cycle):
        distance = max((cycle.starts_on - today).days, (today - cycle.ends_on).days, 0)
        active = cycle.status == CycleStatus.ACTIVE
        return (not (active and distance == 0), distance, not active, -cycle.starts_on.toordinal(), -cycle.pk)

    return min(cycles, key=rank, default=None)


def organization_cycle(*, organization, statuses=SHOWN_STATUSES) -> Cycle | None:
    """The organisation's current cycle, picked as "my year" picks one (``current_cycle``, today in the
    organisation's zone) among its cycles of ``statuses``: so HR's cockpit, "the rules here" and my year agree once
    next year's cycle is activated in December. One query; an organisation has a handful of cycles."""
    cycles = list(Cycle.objects.filter(organization=organization, status__in=statuses).select_related("organization"))
    return current_cycle(cycles, today=timezone.localdate(timezone=organization.zone))


def chosen_cycle(cycles: list[Cycle], asked: str | None) -> Cycle | None:
    """The cycle ``?cycle=<id>`` asks for among ``cycles``; the current one when nothing is asked (None: no cycles).

    Raises Cycle.DoesNotExist for any other value (another organisation's cycle, a draft, someone else's, not a
    number), which the views answer with 404.
    """
    if not asked:
        return current_cycle(cycles)
    for cycle in cycles:
        if str(cycle.pk) == asked:
            return cycle
    raise Cycle.DoesNotExist


@dataclass(frozen=True)
class CycleLink:
    cycle: Cycle
    url: str  # "?cycle=<id>"
    current: bool  # the one on the page


def cycle_links(cycles: list[Cycle], shown: Cycle | None) -> list[CycleLink]:
    """Links to each of ``cycles`` for the page's cycle choice; empty when there is nothing to choose."""
    if len(cycles) < 2:
        return []
    return [CycleLink(cycle=cycle, url=f"?cycle={cycle.pk}", current=cycle == shown) for cycle in cycles]


# --- the team grid -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GridColumn:
    moment: Moment
    window: str  # "1 March – 31 March 2027"


@dataclass
class GridRow:
    employee: Employee
    html: str  # the row's cells, one <td> per moment in moment order, every value escaped: ready to print


BADGES = {
    ConversationState.HELD: "badge badge-ok",
    ConversationState.SCHEDULED: "badge badge-ok",
    ConversationState.TO_SCHEDULE: "badge badge-warn",
}


def team_grid(*, cycle: Cycle, reports: list[Employee], org_slug: str) -> tuple[list[GridColumn], list[GridRow]]:
    """``reports`` (``reports_of(manager)``) × the cycle's moments (in calendar order). Two queries whatever the
    team size: the moments, and the reports' conversations in the cycle."""
    moments = list(cycle.moments.all())
    conversations = (
        Conversation.objects.filter(organization_id=cycle.organization_id, moment__cycle=cycle, employee__in=reports)
        .values_list("employee_id", "moment_id", "pk", "state", "scheduled_at")
        .order_by()
    )
    by_key = {(employee, moment): rest for employee, moment, *rest in conversations}
    cell = _cell_maker(org_slug)
    today = timezone.localdate()
    columns = [(moment.pk, escape(moment.local_name), moment.closes_on < today) for moment in moments]
    empty = f'<td><span class="muted">{escape(_("Not in this moment"))}</span></td>'
    rows = []
    for report in reports:
        name = escape(report.full_name)
        cells = []
        for moment, moment_name, closed in columns:
            found = by_key.get((report.pk, moment))
            cells.append(empty if found is None else cell(*found, window_closed=closed, about=f"{moment_name}, {name}"))
        # Each part is escaped above or made of escaped parts.
        rows.append(GridRow(employee=report, html=mark_safe("".join(cells))))
    return [GridColumn(moment=moment, window=_window(moment)) for moment in moments], rows


def _window(moment: Moment) -> str:
    return f"{date_format(moment.opens_on, 'MONTH_DAY_FORMAT')} – {date_format(moment.closes_on, 'DATE_FORMAT')}"


# Formatting a date is slow (about 0.02 ms, up to a hundred per grid): each day and time of day is formatted once per
# language and kept (a language's formats never change while the server runs).
@lru_cache(maxsize=4096)
def _month_day(language: str, day) -> str:
    with override(language):
        return date_format(day, "MONTH_DAY_FORMAT")


@lru_cache(maxsize=1440)
def _time_of_day(language: str, hour: int, minute: int) -> str:
    with override(language):
        return time_format(time(hour, minute), "TIME_FORMAT")


def _cell_maker(org_slug: str):
    """A function writing one cell of the grid as HTML (``about`` already escaped), with what every cell shares
    (labels, the address pattern, days and times) worked out and escaped once per page rather than once per cell.

    Written here rather than in the template: at 33 reports × 8 moments, the nine or so template nodes of a cell
    cost more than the rest of the page together."""
    labels = {state: escape(str(label)) for state, label in ConversationState.choices}
    overdue, schedule, open_ = escape(_("Overdue")), escape(_("Schedule")), escape(_("Open"))
    # A cancelled conversation that had a time shows it as its former time, as the conversation page does.
    former = _("was: %(when)s")
    address = address_maker("cycles:conversation_detail", "conversation_id", org_slug=org_slug)
    language = get_language()

    def when(moment) -> str:
        local = timezone.localtime(moment)
        return f"{_month_day(language, local.date())}, {_time_of_day(language, local.hour, local.minute)}"

    def cell(pk: int, state: str, scheduled_at, *, window_closed: bool, about: str) -> str:
        late = window_closed and state in OPEN_STATES
        if scheduled_at is None:
            shown = ""
        elif state == ConversationState.CANCELLED:
            shown = "<br>" + escape(former % {"when": when(scheduled_at)})
        else:
            shown = "<br>" + escape(when(scheduled_at))
        badge = "badge badge-bad" if late else BADGES.get(state, "badge")
        action = schedule if state == ConversationState.TO_SCHEDULE else open_
        return (
            f'<td><span class="{badge}">{overdue if late else labels[state]}</span>{shown}'
            f'<br><a href="{escape(address(pk))}">{action}<span class="visually-hidden"> {about}</span></a></td>'
        )

    return cell
