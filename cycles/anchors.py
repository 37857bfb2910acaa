"""Reminder anchors that a higher app plans and words: the registry through which cycles reaches them.

cycles plans and sends reminders about its own calendar (windows, conversations,
the weekly digest). A higher app whose rows also want reminders through the same
rules, planner and dispatcher (reviews: the observation request and the reminder
before it is due) registers, for each of its anchors (``ReminderAnchor``), in its
``AppConfig.ready``:

- ``plan(*, cycle, rules, unplannable)``: the reminders the rules (enabled, of
  this anchor, of ``cycle``) want, as ``Wanted`` rows (below) with
  ``subject_id`` set (the id of the app's row) and keys made with
  ``rule_key``; what no datetime can hold goes to ``unplannable``
  (its key). The planner reconciles them with the stored rows like its own: it
  creates the missing, moves the moved and deletes the PLANNED rows no longer
  wanted (a request answered or withdrawn), and leaves history alone.
- ``context(reminder)``: the email's template context, or None when there is
  nothing left to say (the dispatcher then skips it). Called with the
  recipient's language and the organisation's zone active (cycles.mail).
- ``template``: the base name of the email's three templates (core.email).
- ``about(reminders)``: {reminder pk: what it is about}, for HR's reminder log,
  for a whole page of rows at once (one query, not one per row).
- ``why_not(reminder)``: optional; the reason (a ``gettext_noop`` string, shown
  translated) a due reminder is no longer wanted, asked by the dispatcher just
  before it sends, or None.

cycles never imports the registering app; an anchor nobody registered plans
nothing and sends nothing.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .models import ReminderRule


@dataclass(frozen=True)
class Wanted:
    """One reminder the rules ask for, as the planner (cycles.planning) reconciles it with the stored rows."""

    key: str
    rule_id: int
    recipient_id: int
    due_at: datetime.datetime
    moment_id: int | None = None
    conversation_id: int | None = None
    occasion: datetime.date | None = None
    subject_id: int | None = None  # the row of a higher app the reminder is about


def rule_key(rule: ReminderRule) -> str:
    """The rule part of a reminder's key. Anchor and offset are in it: a rule changed to another moment plans a
    new reminder even where its old one was sent; a changed time of day moves the same one. Every planner, the
    registered ones too, starts its keys with it."""
    return f"r{rule.pk}{rule.anchor[:2]}{rule.offset_days:+d}"


@dataclass(frozen=True)
class AnchorHooks:
    plan: Callable
    context: Callable
    template: str
    about: Callable
    why_not: Callable | None = None


_registry: dict[str, AnchorHooks] = {}


def register(anchor: str, *, plan, context, template: str, about, why_not=None) -> None:
    """Register (or replace: harmless twice, as ``ready`` may run again in tests) the hooks of ``anchor``."""
    _registry[str(anchor)] = AnchorHooks(plan=plan, context=context, template=template, about=about, why_not=why_not)


def hooks_for(anchor: str) -> AnchorHooks | None:
    """The hooks registered for ``anchor``, or None (cycles' own anchors, or nobody registered it)."""
    return _registry.get(str(anchor))


def planned(cycle, rules, unplannable: list) -> Iterable[Wanted]:
    """What the registered anchors' planners want for ``rules`` (of ``cycle``); nothing for an unregistered anchor."""
    by_anchor: dict[str, list] = {}
    for rule in rules:
        by_anchor.setdefault(rule.anchor, []).append(rule)
    for anchor, anchor_rules in by_anchor.items():
        hooks = hooks_for(anchor)
        if hooks is not None:
            yield from hooks.plan(cycle=cycle, rules=anchor_rules, unplannable=unplannable)


def about(reminders) -> dict[int, str]:
    """What each reminder of a registered anchor is about, by pk, for HR's log; the others are not in it."""
    by_anchor: dict[str, list] = {}
    for reminder in reminders:
        if reminder.rule.anchor in _registry:
            by_anchor.setdefault(reminder.rule.anchor, []).append(reminder)
    described = {}
    for anchor, rows in by_anchor.items():
        described.update(_registry[anchor].about(rows))
    return described
