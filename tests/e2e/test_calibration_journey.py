"""Calibration from HR's cockpit to what the manager and the employee read, in Chromium at 390px under the real CSP.

Alfa (Dutch) has an active cycle and ten draft reviews with outcomes: Mila's five all "exceeds" (one of them,
Fleur's, against the rule, with her justification), Bas's two "below" and three "meets" (tests/e2e/
calibration_steps.py). HR opens the cockpit on the home page, follows it to the cycle's calibration page and reads
the organisation's spread and the flags (Mila lenient, Bas severe, Fleur's deviation), opens the calibration window
through its confirmation page, moves Fleur's outcome back to "meets" with a reason from the review page, reads the
move on the review, and closes the window through its confirmation page. Mila meanwhile reads on Fleur's review
that HR is calibrating where the Share button was; afterwards she opens "My team's outcomes" from the menu under
her name, reads her spread beside the organisation's and HR's move with its reason, and finds the note on the
review with the Share button back. Eva, one of Mila's reports, reads "The rules here" from her home card and the
menu: the calendar, the cap, the scale, the outcome rule, the justification and calibration.

Every page passes axe (tests/e2e's visit and follow, check_a11y after each htmx swap) and none scrolls sideways at
390px. Texts are found by their msgid in the live server's catalogue (``said``), so the journey reads the same
whether a new Dutch string is compiled yet or not.
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from calibration.models import Calibration, OutcomeMove, Window
from reviews.models import ReviewState

from .calibration_steps import (
    EXCEEDS,
    MEETS,
    NOT_COUNTED,
    REASON,
    alfa_in_calibration,
    day_of,
    fits,
    flash,
    from_menu,
    from_user_menu,
    heading,
    region,
    reload,
    rows_of,
    said_count,
    share_state,
)
from .conftest import check_a11y, follow, log_in, visit
from .pay_steps import PHONE, field, said

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def alfa():
    return alfa_in_calibration()


def moved_on(alfa) -> str:
    """The day HR moved Fleur's outcome, as the pages write it."""
    return day_of(OutcomeMove.objects.get(review=alfa.moved).moved_at)


def move_note(alfa) -> str:
    return said(
        "HR moved the outcome from “%(from)s” to “%(to)s” on %(date)s: %(reason)s",
        **{
            "from": alfa.bands[EXCEEDS].name_nl,
            "to": alfa.bands[MEETS].name_nl,
            "date": moved_on(alfa),
            "reason": REASON,
        },
    )


# --- HR ------------------------------------------------------------------------------------------------------------


def calibration_page_from_the_cockpit(page, alfa):
    """HR's home loads the cockpit, which loads its calibration part: one lenient, one severe, one deviation."""
    cockpit = page.locator("#cockpit-calibration")
    expect(cockpit.get_by_role("heading", name=said("Calibration"), exact=True)).to_be_visible()
    expect(cockpit.locator(".loading")).to_have_count(0)  # both htmx swaps done
    expect(page.locator("#cockpit-budget .loading")).to_have_count(0)
    check_a11y(page)
    fits(page, "home-cockpit")
    counted = cockpit.inner_text()
    for text in (
        said_count("%(counter)s manager is lenient", "%(counter)s managers are lenient", 1, counter=1),
        said_count("%(counter)s manager is severe", "%(counter)s managers are severe", 1, counter=1),
        said_count(
            "%(counter)s review has another outcome than the rule gives",
            "%(counter)s reviews have another outcome than the rule gives",
            1,
            counter=1,
        ),
    ):
        assert text in counted, f"{text!r} not in the cockpit's calibration part: {counted!r}"
    follow(page, cockpit.get_by_role("link", name=said("Open the calibration page")))
    assert heading(page) == said("Calibration of %(name)s", name="Jaarcyclus")
    fits(page, "calibration")


def reads_the_spread_and_the_flags(page, alfa, spread):
    """The organisation's spread (band, reviews, share) and the flags; the managers listed with theirs."""
    below, meets, exceeds = (band.name_nl for band in alfa.bands)
    organisation = region(page, "Outcomes of %(label)s", label=said("the organisation"))
    assert rows_of(organisation) == [[below, *spread[0]], [meets, *spread[1]], [exceeds, *spread[2]]]
    flags = region(page, "What is flagged").inner_text()
    drafts = said_count(
        "%(counter)s review with a proposed outcome is still in draft",
        "%(counter)s reviews with a proposed outcome are still in draft",
        10,
        counter=10,
    )
    assert drafts in flags
    managers = region(page, "Proposed outcomes and flags per manager")
    mila = managers.get_by_role("row").filter(has_text="Mila Dekker").inner_text()
    bas = managers.get_by_role("row").filter(has_text="Bas Jansen").inner_text()
    assert said("Lenient") in mila and said("Severe") not in mila, mila
    assert said("Severe") in bas and said("Lenient") not in bas, bas


def deviations(page):
    """The calibration page's list of deviations from the outcome rule (its tab under "Lists")."""
    lists = page.get_by_role("navigation", name=said("Lists"))
    follow(page, lists.get_by_role("link", name=re.compile(rf"^{re.escape(said('Deviations'))}")))
    fits(page, "calibration-deviations")
    caption = "Reviews with another outcome than the rule gives, with the manager's justification"
    return page.get_by_role("region", name=said(caption))


def opens_the_window(page, alfa):
    """The window page, its confirmation page (counts and the managers it concerns), then the window open."""
    follow(page, page.get_by_role("link", name=said("Calibration window and thresholds")))
    assert heading(page) == said("Calibration window of %(name)s", name="Jaarcyclus")
    fits(page, "window")
    state = region(page, "The window now").inner_text()
    assert said("No calibration window") in state
    follow(page, page.get_by_role("link", name=said("Open the calibration window…")))
    assert heading(page) == said("Open the calibration window of %(cycle)s", cycle="Jaarcyclus")
    fits(page, "window-open-confirm")
    what = region(page, "What will happen").inner_text()
    assert (
        said_count(
            "While the window is open, the %(count)d review still in draft cannot be shared.",
            "While the window is open, the %(count)d reviews still in draft cannot be shared.",
            10,
            count=10,
        )
        in what
    ), what
    assert (
        said_count(
            "%(count)d manager is affected: instead of the Share button, they read that HR is calibrating.",
            "%(count)d managers are affected: instead of the Share button, they read that HR is calibrating.",
            2,
            count=2,
        )
        in what
    ), what
    assert "Bas Jansen" in what and "Mila Dekker" in what
    follow(page, page.get_by_role("button", name=said("Open the calibration window"), exact=True))
    assert said("The calibration window is open: reviews of this cycle cannot be shared.") in flash(page)
    assert said("Open: reviews cannot be shared") in region(page, "The window now").inner_text()
    fits(page, "window-open")
    assert Calibration.objects.get(cycle=alfa.cycle).window == Window.OPEN


def moves_the_outcome(page, alfa):
    """From the deviations list to Fleur's review, "Move the outcome…", the form, the review with HR's note."""
    follow(page, page.get_by_role("link", name=said("Back to the cycle")))
    follow(page, page.get_by_role("link", name=said("Calibration"), exact=True))
    listed = deviations(page)
    row = listed.get_by_role("row").filter(has_text="Fleur Mulder")
    assert alfa.bands[MEETS].name_nl in row.inner_text() and "Mila Dekker" in row.inner_text()
    follow(page, row.get_by_role("link", name="Fleur Mulder"))
    fits(page, "review-hr")
    follow(page, page.get_by_role("link", name=said("Move the outcome…")))
    assert heading(page) == said("Move the outcome of %(name)s", name="Fleur Mulder")
    fits(page, "move")
    page.get_by_role("radio", name=alfa.bands[MEETS].name_nl, exact=True).check()
    page.get_by_label(field(said("Why you move it"))).fill(REASON)
    follow(page, page.get_by_role("button", name=said("Move the outcome"), exact=True))
    assert said(
        "The outcome of %(name)s is now “%(band)s”; the manager reads your reason.",
        name="Fleur Mulder",
        band=alfa.bands[MEETS].name_nl,
    ) in flash(page)
    assert heading(page) == said("Review of %(name)s", name="Fleur Mulder")
    assert move_note(alfa) in region(page, "Changes by HR").inner_text()
    fits(page, "review-hr-moved")
    alfa.moved.refresh_from_db()
    assert (alfa.moved.band_id, alfa.moved.state) == (alfa.bands[MEETS].pk, ReviewState.DRAFT)


def closes_the_window(page, alfa):
    """Cycles → the cycle → "Calibration window": the move listed, the confirmation page's counts, then closed."""
    from_menu(page, "Cycles")
    follow(page, page.get_by_role("link", name="Jaarcyclus", exact=True))
    follow(page, page.get_by_role("link", name=said("Calibration window"), exact=True))
    moves = page.get_by_role("region", name=said("Outcomes moved by HR, newest first"))
    assert rows_of(moves) == [
        [
            "Fleur Mulder",
            "Mila Dekker",
            alfa.bands[EXCEEDS].name_nl,
            alfa.bands[MEETS].name_nl,
            REASON,
            "Hanna de Vries",
            moved_on(alfa),
        ]
    ]
    follow(page, page.get_by_role("link", name=said("Close the calibration window…")))
    assert heading(page) == said("Close the calibration window of %(cycle)s", cycle="Jaarcyclus")
    fits(page, "window-close-confirm")
    what = region(page, "What will happen").inner_text()
    assert (
        said_count(
            "Managers can share their reviews again: %(count)d review is still in draft.",
            "Managers can share their reviews again: %(count)d reviews are still in draft.",
            10,
            count=10,
        )
        in what
    ), what
    assert (
        said_count(
            "HR moved %(count)d outcome while the window was open; its manager reads why on the review and on "
            "their own page.",
            "HR moved %(count)d outcomes while the window was open; the managers read why on the review and on "
            "their own page.",
            1,
            count=1,
        )
        in what
    ), what
    follow(page, page.get_by_role("button", name=said("Close the calibration window"), exact=True))
    assert said("The calibration window is closed: managers can share their reviews again.") in flash(page)
    assert said("Closed: reviews can be shared") in region(page, "The window now").inner_text()
    fits(page, "window-closed")


# --- the manager and the employee ---------------------------------------------------------------------------------


def reads_her_outcomes_beside_the_organisation(page, alfa):
    """ "My team's outcomes" from the menu under her name: her spread beside the organisation's, HR's move."""
    from_user_menu(page, "My team's outcomes")
    assert heading(page) == said("My team's outcomes")
    fits(page, "mine")
    below, meets, exceeds = (band.name_nl for band in alfa.bands)
    spread = page.get_by_role("region", name=said("Your proposed outcomes beside the organisation's, per outcome"))
    assert rows_of(spread) == [
        [below, "0", "0\xa0%", "20\xa0%"],
        [meets, "1", "20\xa0%", "40\xa0%"],
        [exceeds, "4", "80\xa0%", "40\xa0%"],
    ]
    assert "Bas Jansen" not in page.locator("main").inner_text()  # never another manager's name
    moves = page.get_by_role("region", name=said("Outcomes moved by HR, newest first"))
    assert rows_of(moves) == [["Fleur Mulder", exceeds, meets, REASON, "Hanna de Vries", moved_on(alfa)]]
    follow(page, moves.get_by_role("link", name="Fleur Mulder"))
    assert move_note(alfa) in region(page, "Changes by HR").inner_text()
    assert share_state(page) == (1, 0), "the Share button should be back once the window is closed"
    fits(page, "review-manager-after")


def reads_the_rules_here(page, alfa):
    """Eva's home card "The rules here" (the menu has the same page): the calendar, the cap, the scale, the rule,
    the justification and calibration."""
    card = region(page, "The rules here")
    follow(page, card.get_by_role("link", name=said("Read the rules here")))
    assert heading(page) == said("The rules here")
    fits(page, "rules")
    page.locator("details.user-menu > summary").click()
    in_menu = page.locator("details.user-menu").get_by_role("link", name=said("The rules here"), exact=True)
    assert in_menu.get_attribute("href") == urlsplit(page.url).path
    page.locator("details.user-menu > summary").click()

    planning, assessment = alfa.moments
    calendar = region(page, "When: the conversations of the year").inner_text()
    for moment in (planning, assessment):
        assert moment.name_nl in calendar and moment.purpose_nl in calendar
        assert f"{day_of(moment.opens_on)} – {day_of(moment.closes_on)}" in calendar
    assert said("Produces a rating") in calendar

    cap = alfa.cycle.organization.expectation_cap
    what = region(page, "What: a few clear expectations").inner_text()
    assert (
        said_count(
            "Nobody has more than %(counter)s expectation: observable behaviours, each tied to a core value. "
            "Only these are assessed.",
            "Nobody has more than %(counter)s expectations: observable behaviours, each tied to a core value. "
            "Only these are assessed.",
            cap,
            counter=cap,
        )
        in what
    ), what
    assert NOT_COUNTED in what

    scale = region(page, "Rating scale").inner_text()
    for value, label in (
        (1, "Nog niet zichtbaar"),
        (2, "In ontwikkeling"),
        (3, "Consistent zichtbaar"),
        (4, "Rolmodel"),
    ):
        assert f"{value} – {label}" in scale, scale

    rule = region(page, "The outcome rule").inner_text()
    for band, score in zip(alfa.bands, ("0,00", "2,50", "3,50"), strict=True):
        assert band.name_nl in rule
        assert f"{said('From a weighted score of')} {score}" in rule, rule
    assert said("The outcome is the highest band whose score the weighted score reaches.") in rule
    assert (
        said(
            "A manager who chooses another outcome than the rule gives writes a justification. HR sees every such "
            "deviation, with its justification."
        )
        in rule
    )

    calibration = region(page, "Calibration: the same standard for everyone").inner_text()
    assert (
        said(
            "HR compares every manager's outcomes with those of the whole organisation, so that your outcome does not "
            "depend on who your manager is."
        )
        in calibration
    )
    assert said("HR may move an outcome, always with a written reason, which the manager reads.") in calibration


# --- the journey ---------------------------------------------------------------------------------------------------


def test_hr_calibrates_the_manager_reads_the_move_and_the_employee_reads_the_rules(new_page, alfa):
    fleur = alfa.moved.get_absolute_url()
    # Mila reads Fleur's draft before calibration: she could share it.
    mila = new_page(viewport=PHONE, bypass_csp=False)
    log_in(mila, alfa.mila.user)
    visit(mila, fleur)
    assert share_state(mila) == (1, 0)
    fits(mila, "review-manager-before")

    hr = new_page(viewport=PHONE, bypass_csp=False)
    log_in(hr, alfa.hr.user)
    calibration_page_from_the_cockpit(hr, alfa)
    reads_the_spread_and_the_flags(hr, alfa, [("2", "20\xa0%"), ("3", "30\xa0%"), ("5", "50\xa0%")])
    opens_the_window(hr, alfa)

    # While the window is open, Mila reads why she cannot share instead of the Share button.
    reload(mila)
    assert share_state(mila) == (0, 1)
    fits(mila, "review-manager-window-open")

    moves_the_outcome(hr, alfa)
    # Mila's review page shows HR's move at once; the window is still open.
    reload(mila)
    assert move_note(alfa) in region(mila, "Changes by HR").inner_text()
    assert share_state(mila) == (0, 1)

    closes_the_window(hr, alfa)
    # Back on the calibration page: the spread follows the move, and no deviation is left.
    follow(hr, hr.get_by_role("link", name=said("Back to the cycle")))
    follow(hr, hr.get_by_role("link", name=said("Calibration"), exact=True))
    reads_the_spread_and_the_flags(hr, alfa, [("2", "20\xa0%"), ("4", "40\xa0%"), ("4", "40\xa0%")])
    deviations(hr)
    assert said("Every proposed outcome is the one the rule gives.") in hr.locator("#list").inner_text()

    reads_her_outcomes_beside_the_organisation(mila, alfa)

    eva = new_page(viewport=PHONE, bypass_csp=False)
    log_in(eva, alfa.employee.user)
    reads_the_rules_here(eva, alfa)
