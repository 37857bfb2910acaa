"""The sentences that explain pay figures in words: where someone stands, the terms every figure uses, how the annual
salary is computed, and what the top-of-scale rule does to an outcome.

Plain functions on what pay.selectors_mine read (no queries), in the active language, amounts through pay.money.
Each sentence about a person comes in two forms: to the person themselves ("You are on Schaal 8, step 3") when
``name`` is None, and about them to someone else, HR or their manager ("Daan Jansen is on Schaal 8, step 3").
"""

from dataclasses import dataclass, field

from babel.numbers import format_decimal
from django.utils import formats
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from . import money
from .outcomes import Problem
from .selectors_mine import BandOutcome, Outcomes

# What someone without figures reads after the reason: the table's steps and percentages follow.
IN_STEPS_AND_PERCENTAGES = gettext_lazy("Below is what each outcome gives in steps and percentages.")


def _date(day) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _number(value) -> str:
    """A plain number the reader's way: 12,96 in Dutch, 12.96 in English."""
    locale = money.LOCALES.get((get_language() or "nl")[:2], money.LOCALES["nl"])
    return format_decimal(value, format="#,##0.####", locale=locale)


@dataclass(frozen=True)
class Card:
    """One outcome band as the page draws it: what it would mean, and the top-of-scale rule in words (if it bites)."""

    outcome: BandOutcome
    top: str = ""


@dataclass(frozen=True)
class Explanation:
    """Every sentence of the page, in the order it shows them."""

    standing: list[str] = field(default_factory=list)  # where the person stands, or why no amounts can be shown
    problem: bool = False  # the amounts cannot be shown: the cards show steps and percentages
    terms: list[str] = field(default_factory=list)
    annual: list[str] = field(default_factory=list)
    changed: str = ""  # the pay table changed after it was first published
    cards: list[Card] = field(default_factory=list)


def standing_sentences(outcomes: Outcomes, name: str | None = None) -> list[str]:
    """Where the person stands (scale and step, monthly salary, yearly step), or why the amounts cannot be shown."""
    standing, placement = outcomes.standing, outcomes.placement
    problem = standing.problem
    if problem == Problem.NOT_PLACED:
        first = (
            _("HR has not placed you on a salary scale yet, so the amounts in euros cannot be shown.")
            if name is None
            else _("HR has not placed %(name)s on a salary scale yet, so the amounts in euros cannot be shown.")
            % {"name": name}
        )
        return [first, str(IN_STEPS_AND_PERCENTAGES)]
    if problem == Problem.NO_TABLE:
        first = _(
            "There are no salary scales that apply on %(date)s, when the consequences take effect, so the amounts in "
            "euros cannot be shown. HR can add them."
        ) % {"date": _date(outcomes.terms.effective_on)}
        return [first, str(IN_STEPS_AND_PERCENTAGES)]
    if problem == Problem.STEP_MISSING:
        values = {
            "name": name,
            "step": standing.step,
            "scale": standing.scale,
            "date": _date(outcomes.table.applies_from),
        }
        first = (
            _(
                "Your step (%(step)s) is not in %(scale)s in the salary scales applying from %(date)s, so the "
                "amounts in euros cannot be shown. HR can correct this."
            )
            if name is None
            else _(
                "The step of %(name)s (%(step)s) is not in %(scale)s in the salary scales applying from %(date)s, "
                "so the amounts in euros cannot be shown. HR can correct this."
            )
        ) % values
        return [first, str(IN_STEPS_AND_PERCENTAGES)]
    monthly = money.euro(standing.monthly)
    if not standing.on_scale:
        sentence = (
            _("Your salary is outside the salary scales: %(monthly)s a month.")
            if name is None
            else _("The salary of %(name)s is outside the salary scales: %(monthly)s a month.")
        )
        return [sentence % {"name": name, "monthly": monthly}]
    values = {"name": name, "scale": standing.scale, "step": standing.step, "monthly": monthly}
    if outcomes.today_monthly is not None and outcomes.today_monthly != standing.monthly:
        values.update(
            today=money.euro(outcomes.today_monthly),
            date=_date(outcomes.terms.effective_on),
            applies=_date(outcomes.table.applies_from),
        )
        sentences = [
            (
                _(
                    "You are on %(scale)s, step %(step)s: %(today)s a month today. From %(date)s, when the "
                    "consequences take effect, that step pays %(monthly)s (the salary scales from %(applies)s); "
                    "the figures below start from there."
                )
                if name is None
                else _(
                    "%(name)s is on %(scale)s, step %(step)s: %(today)s a month today. From %(date)s, when the "
                    "consequences take effect, that step pays %(monthly)s (the salary scales from %(applies)s); "
                    "the figures below start from there."
                )
            )
            % values
        ]
    else:
        sentences = [
            (
                _("You are on %(scale)s, step %(step)s: %(monthly)s a month.")
                if name is None
                else _("%(name)s is on %(scale)s, step %(step)s: %(monthly)s a month.")
            )
            % values
        ]
    if placement is not None and placement.step_date is not None:
        day = formats.date_format(placement.step_date, "MONTH_DAY_FORMAT")
        sentences.append(
            (
                _("Your yearly step comes on %(date)s each year.")
                if name is None
                else _("The yearly step of %(name)s comes on %(date)s each year.")
            )
            % {"name": name, "date": day}
        )
    return sentences


def terms_sentences(outcomes: Outcomes) -> list[str]:
    """The organisation's terms that every figure uses, and the salary table the amounts come from."""
    terms = outcomes.terms
    sentences = [
        _("Holiday allowance: %(percent)s of twelve monthly salaries.")
        % {"percent": money.percent(terms.holiday_allowance)},
        _("A thirteenth month is paid.") if terms.thirteenth_month else _("No thirteenth month is paid."),
        _("The consequences take effect on %(date)s.") % {"date": _date(terms.effective_on)},
    ]
    if outcomes.table is not None:
        sentences.append(
            _("Amounts from the salary scales applying from %(date)s.") % {"date": _date(outcomes.table.applies_from)}
        )
    return sentences


def annual_sentences(outcomes: Outcomes) -> list[str]:
    """How the annual salary is computed, with the person's own numbers when they are known."""
    terms = outcomes.terms
    values = {"percent": money.percent(terms.holiday_allowance), "months": _number(terms.months_per_year)}
    sentences = [
        (
            _(
                "The annual salary is twelve monthly salaries plus the holiday allowance of %(percent)s over them, "
                "plus a thirteenth month: the monthly salary × %(months)s."
            )
            if terms.thirteenth_month
            else _(
                "The annual salary is twelve monthly salaries plus the holiday allowance of %(percent)s over them: "
                "the monthly salary × %(months)s."
            )
        )
        % values
    ]
    monthly = outcomes.standing.monthly
    if monthly is not None:
        numbers = {
            "monthly": money.euro(monthly),
            "months": values["months"],
            "annual": money.euro(terms.annual(monthly)),
        }
        if outcomes.today_monthly is not None and outcomes.today_monthly != monthly:
            numbers["date"] = _date(terms.effective_on)
            sentences.append(
                _("From %(date)s, before the outcome: %(monthly)s × %(months)s = %(annual)s a year.") % numbers
            )
        else:
            sentences.append(_("Now: %(monthly)s × %(months)s = %(annual)s a year.") % numbers)
    sentences.append(
        _(
            "The increase per year is the new annual salary minus the current one. A one-off payment is a "
            "percentage of the current annual salary, paid once."
        )
    )
    return sentences


def top_sentence(outcome: BandOutcome, outcomes: Outcomes, name: str | None = None) -> str:
    """The top-of-scale rule in words when it bites for ``outcome`` (steps that do not fit), else "".

    When the outcome brings a one-off payment of its own as well, a second sentence adds the two up, so the
    sentence's amount and the card's one-off payment never seem to disagree.
    """
    sentence = _top_rule_sentence(outcome, outcomes, name)
    found = outcome.figures
    if sentence and found.top_one_off and found.one_off != found.top_one_off:
        sentence += " " + _("With this outcome's own one-off payment of %(own)s, that is %(total)s paid once.") % {
            "own": money.euro(found.one_off - found.top_one_off),
            "total": money.euro(found.one_off),
        }
    return sentence


def _top_rule_sentence(outcome: BandOutcome, outcomes: Outcomes, name: str | None = None) -> str:
    found = outcome.figures
    if found is None or not found.top_bites:
        return ""
    standing = outcomes.standing
    count = found.steps_missed
    pays = outcome.consequence.top_one_off_percent > 0
    values = {
        "name": name,
        "scale": standing.scale,
        "step": found.old_step,
        "top": standing.top,
        "count": count,
        "percent": money.percent(outcome.consequence.top_one_off_percent),
        "amount": money.euro(found.top_one_off),
    }
    if found.old_step != standing.top:
        if pays:
            return (
                ngettext(
                    "%(scale)s ends at step %(top)s: the move up stops there, and instead of the %(count)s step that "
                    "does not fit a one-off payment of %(percent)s of the annual salary is paid: %(amount)s.",
                    "%(scale)s ends at step %(top)s: the move up stops there, and instead of the %(count)s steps that "
                    "do not fit a one-off payment of %(percent)s of the annual salary is paid for each: %(amount)s.",
                    count,
                )
                % values
            )
        return (
            ngettext(
                "%(scale)s ends at step %(top)s: the move up stops there, and nothing replaces the %(count)s step that "
                "does not fit.",
                "%(scale)s ends at step %(top)s: the move up stops there, and nothing replaces the %(count)s steps "
                "that do not fit.",
                count,
            )
            % values
        )
    if pays and name is None:
        return (
            ngettext(
                "You are on the top step of %(scale)s (step %(step)s): instead of %(count)s step you would receive a "
                "one-off payment of %(percent)s of your annual salary: %(amount)s.",
                "You are on the top step of %(scale)s (step %(step)s): instead of %(count)s steps you would receive a "
                "one-off payment of %(percent)s of your annual salary for each: %(amount)s.",
                count,
            )
            % values
        )
    if pays:
        return (
            ngettext(
                "%(name)s is on the top step of %(scale)s (step %(step)s): instead of %(count)s step they would "
                "receive a one-off payment of %(percent)s of their annual salary: %(amount)s.",
                "%(name)s is on the top step of %(scale)s (step %(step)s): instead of %(count)s steps they would "
                "receive a one-off payment of %(percent)s of their annual salary for each: %(amount)s.",
                count,
            )
            % values
        )
    if name is None:
        return (
            ngettext(
                "You are on the top step of %(scale)s (step %(step)s): there is no step above it, and nothing replaces "
                "the %(count)s step.",
                "You are on the top step of %(scale)s (step %(step)s): there is no step above it, and nothing replaces "
                "the %(count)s steps.",
                count,
            )
            % values
        )
    return (
        ngettext(
            "%(name)s is on the top step of %(scale)s (step %(step)s): there is no step above it, and nothing replaces "
            "the %(count)s step.",
            "%(name)s is on the top step of %(scale)s (step %(step)s): there is no step above it, and nothing replaces "
            "the %(count)s steps.",
            count,
        )
        % values
    )


def changed_sentence(outcomes: Outcomes) -> str:
    """ "This pay table changed on <date> (version 2)" when the version read is not the first, else ""."""
    day = outcomes.changed_on
    if day is None:
        return ""
    return _("This pay table changed on %(date)s (version %(version)s).") % {
        "date": _date(day),
        "version": outcomes.pay_table.version,
    }


def explained(outcomes: Outcomes, name: str | None = None) -> Explanation:
    """Every sentence of the page about ``outcomes`` (to the person when ``name`` is None, else about ``name``)."""
    if outcomes.pay_table is None:
        return Explanation()
    problem = bool(outcomes.standing.problem)
    return Explanation(
        standing=standing_sentences(outcomes, name),
        problem=problem,
        terms=terms_sentences(outcomes),
        annual=annual_sentences(outcomes),
        changed=changed_sentence(outcomes),
        cards=[Card(outcome=outcome, top=top_sentence(outcome, outcomes, name)) for outcome in outcomes.bands],
    )
