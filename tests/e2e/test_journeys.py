"""Journeys through the organisation area in a real browser, with axe on every page.

Selectors lean on names and ids rather than visible text where the text is
translated, so a journey reads the same whether the catalogues are compiled
or not; where text is checked, it is data the test itself created.
"""

import re

import pytest
from playwright.sync_api import expect

from organizations.models import Employee, Role
from tests.factories import EmployeeFactory, OrganizationFactory, UserFactory

from .conftest import alfa_organisation, check_a11y, follow, log_in, person, screenshot, visit
from .pay_steps import field

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def alfa(live_server):
    """A Dutch organisation with an HR admin, a team and a few people to search between."""
    organization, team, hr = alfa_organisation()
    for first, last in [("Pieter", "Bakker"), ("Sanne", "Jansen"), ("Lotte", "Visser")]:
        person(organization, first, last, team=team)
    return organization, hr


def test_consultant_switches_between_organisations(page, live_server):
    """One login, HR admin in two organisations: choose one, switch to the other, see only its people."""
    consultant = UserFactory(email="consultant@example.org")
    alfa = OrganizationFactory(slug="alfa", name="Alfa BV", language="nl")
    bravo = OrganizationFactory(slug="bravo", name="Bravo BV", language="nl")
    for organization in (alfa, bravo):
        EmployeeFactory(
            organization=organization,
            user=consultant,
            role=Role.HR_ADMIN,
            first_name="Chris",
            last_name="Adviseur",
        )
    EmployeeFactory(organization=alfa, first_name="Anouk", last_name="Alfa-Medewerker")
    EmployeeFactory(organization=bravo, first_name="Bram", last_name="Bravo-Medewerker")

    log_in(page, consultant)
    # Two memberships: the login lands on the choice, not in an organisation.
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    choices = page.locator(".card-list a")
    expect(choices).to_have_text(["Alfa BV", "Bravo BV"])

    follow(page, page.get_by_role("link", name="Alfa BV"), url=re.compile(r"/o/alfa/$"))
    expect(page.locator(".brand-org")).to_have_text("Alfa BV")
    follow(page, page.locator(".main-nav a[href='/o/alfa/people/']"))
    expect(page.locator("#people-results")).to_contain_text("Anouk Alfa-Medewerker")
    expect(page.locator("#people-results")).not_to_contain_text("Bravo-Medewerker")

    # The switch lives in the menu under the person's name.
    page.locator(".user-menu summary").click()
    check_a11y(page)
    follow(page, page.locator(".user-menu a[href='/o/']"), url=re.compile(r"/o/$"))
    follow(page, page.get_by_role("link", name="Bravo BV"), url=re.compile(r"/o/bravo/$"))
    expect(page.locator(".brand-org")).to_have_text("Bravo BV")
    follow(page, page.locator(".main-nav a[href='/o/bravo/people/']"))
    expect(page.locator("#people-results")).to_contain_text("Bram Bravo-Medewerker")
    expect(page.locator("#people-results")).not_to_contain_text("Alfa-Medewerker")

    # Alfa's person is not reachable from Bravo's address either.
    anouk = Employee.objects.get(last_name="Alfa-Medewerker")
    response = page.goto(f"/o/bravo/people/{anouk.pk}/")
    assert response.status == 404
    check_a11y(page)


def test_language_switch_in_the_header(page, alfa):
    """NL/EN in the header: the page comes back in the chosen language, and the choice sticks to the login."""
    _organization, hr = alfa
    visit(page, "/accounts/login/")
    # Helder's login form labels its fields in the browser's language.
    expect(page.get_by_label(field("Wachtwoord"))).to_be_visible()
    log_in(page, hr.user)
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    switch = page.locator("form.language-switch")
    expect(switch.locator("button[value=nl]")).to_have_attribute("aria-pressed", "true")

    follow(page, switch.locator("button[value=en]"))
    assert page.url.endswith("/o/alfa/"), "the switch returns to the page it was used on"
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(switch.locator("button[value=en]")).to_have_attribute("aria-pressed", "true")
    expect(switch.locator("button[value=nl]")).to_have_attribute("aria-pressed", "false")
    hr.user.refresh_from_db()
    assert hr.user.language == "en"

    # The saved choice beats the Dutch browser and the Dutch organisation on the next page.
    visit(page, "/o/alfa/people/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    follow(page, switch.locator("button[value=nl]"))
    assert page.url.endswith("/o/alfa/people/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")


def test_language_chosen_before_logging_in_is_kept(page, alfa):
    _organization, hr = alfa
    visit(page, "/accounts/login/")
    follow(page, page.locator("form.language-switch button[value=en]"))
    expect(page.get_by_label(field("Password"))).to_be_visible()
    log_in(page, hr.user)
    visit(page, "/account/profile/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    visit(page, "/o/alfa/")
    expect(page.locator("html")).to_have_attribute("lang", "en", timeout=1_000)


def test_hr_adds_finds_and_deactivates_a_person(new_page, alfa):
    # Under the real CSP: the search is htmx, and a blocked script would fail the test.
    page = new_page(bypass_csp=False)
    organization, hr = alfa
    log_in(page, hr.user)
    assert page.url.endswith("/o/alfa/"), "one membership: the login goes straight to the organisation"

    follow(page, page.locator(".main-nav a[href='/o/alfa/people/']"))
    follow(page, page.locator("a[href='/o/alfa/people/new/']"))

    # A form sent with a mistake comes back with the error tied to its field.
    page.locator("#id_email").fill("niet-een-adres")
    page.locator("#id_first_name").fill("Noor")
    follow(page, page.locator("form.card button[type=submit]"))
    expect(page.locator("#id_email")).to_have_attribute("aria-invalid", "true")

    page.locator("#id_email").fill("noor.hendriks@alfa.example")
    page.locator("#id_last_name").fill("Hendriks")
    page.locator("#id_job_title").fill("Planner")
    page.locator("#id_team").select_option(label="Klantenservice")
    page.locator("#id_manager").select_option(label="Hanna de Vries")
    follow(page, page.locator("form.card button[type=submit]"), url=re.compile(r"/o/alfa/people/\d+/$"))
    expect(page.locator("h1")).to_have_text("Noor Hendriks")
    expect(page.locator(".message-success")).to_contain_text("Noor Hendriks")

    # The search box narrows the list without a page load (htmx), and the address follows.
    follow(page, page.locator(".main-nav a[href='/o/alfa/people/']"))
    results = page.locator("#people-results")
    expect(results.locator("tbody tr")).to_have_count(5)
    with page.expect_response(
        lambda response: "q=hendr" in response.url and response.request.headers.get("hx-request") == "true"
    ):
        page.locator("#id_q").fill("hendr")
    expect(results.locator("tbody tr")).to_have_count(1)
    expect(results).to_contain_text("noor.hendriks@alfa.example")
    expect(page).to_have_url(re.compile(r"[?&]q=hendr"))
    check_a11y(page)

    with page.expect_response(lambda response: "q=nobody" in response.url):
        page.locator("#id_q").fill("nobody")
    expect(results.locator("tbody tr")).to_have_count(0)
    check_a11y(page)
    with page.expect_response(lambda response: "q=noor" in response.url):
        page.locator("#id_q").fill("noor")
    expect(results.locator("tbody tr")).to_have_count(1)

    follow(page, results.get_by_role("link", name="Noor Hendriks"))
    follow(page, page.locator("form[action$='/deactivate/'] button"))  # asks first, saying what will happen
    expect(page.locator("h1")).to_contain_text("Noor Hendriks")
    assert Employee.objects.get(organization=organization, user__email="noor.hendriks@alfa.example").is_active
    follow(page, page.locator("form:has(input[name=confirm][value=yes]) button[type=submit]"))
    expect(page.locator(".message-success")).to_contain_text("Noor Hendriks")
    expect(page.locator(".page-header .badge-bad")).to_be_visible()
    expect(page.locator("form[action$='/reactivate/'] button")).to_be_visible()
    person = Employee.objects.get(organization=organization, user__email="noor.hendriks@alfa.example")
    assert not person.is_active and person.deactivated_at is not None

    # Gone from the default (active) list; found again under "Deactivated".
    visit(page, "/o/alfa/people/?q=noor")
    expect(results.locator("tbody tr")).to_have_count(0)
    with page.expect_response(lambda response: "status=inactive" in response.url):
        page.locator("#id_status").select_option("inactive")
    expect(results.locator("tbody tr")).to_have_count(1)
    expect(results.locator(".badge-bad")).to_be_visible()
    check_a11y(page)


@pytest.mark.parametrize(
    ("path", "name"), [("/o/alfa/people/", "people-list"), ("/o/alfa/people/import/", "import-upload")]
)
def test_page_fits_a_phone(new_page, alfa, path, name):
    """375px wide: the page never scrolls sideways; a wide table or example scrolls inside its own box."""
    page = new_page(viewport={"width": 375, "height": 812})
    _organization, hr = alfa
    log_in(page, hr.user)
    visit(page, path)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    shot = screenshot(page, f"{name}-375")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 375px wide (see {shot})"
    for selector in (".site-header", "main h1", "main .card"):
        box = page.locator(selector).first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375, f"{selector} sticks out: {box}"


# As Dutch Excel saves "CSV (semicolon delimited)": semicolons, Windows-1252. Line 4 has a broken address.
PEOPLE_FILE_WITH_A_BAD_ROW = """email;first_name;last_name;job_title;team;manager_email;role
mila.dekker@alfa.example;Mila;Dekker;Teamleider;Klantenservice;;leidinggevende
pieter.bakker@alfa.example;Pieter;Bakker;Senior adviseur;Klantenservice;mila.dekker@alfa.example;
daniëlle.smit(at)alfa.example;Daniëlle;Smit;Klantadviseur;Klantenservice;mila.dekker@alfa.example;medewerker
"""
PEOPLE_FILE_FIXED = PEOPLE_FILE_WITH_A_BAD_ROW.replace("daniëlle.smit(at)alfa.example", "danielle.smit@alfa.example")


def upload(page, name, text):
    """Choose the file in the labelled file input and send it; the preview comes back through htmx."""
    form = page.locator("#import-form")
    form.get_by_label(re.compile("CSV")).set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode("cp1252")}]
    )
    with page.expect_response(
        lambda response: response.url.endswith("/o/alfa/people/import/") and response.request.method == "POST"
    ) as posted:
        form.locator("button[type=submit]").click()
    assert posted.value.status == 200
    expect(page.locator("#import-preview")).to_contain_text(name)
    expect(page).to_have_url(re.compile(r"/o/alfa/people/import/\d+/$"))
    check_a11y(page)


def test_hr_imports_people_from_a_csv_after_fixing_a_bad_row(new_page, alfa):
    # Under the real CSP: the upload and the preview are htmx.
    page = new_page(bypass_csp=False)
    organization, hr = alfa
    log_in(page, hr.user)
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    follow(page, page.locator(".main-nav a[href='/o/alfa/people/']"))
    follow(page, page.locator("a[href='/o/alfa/people/import/']"))

    upload(page, "medewerkers.csv", PEOPLE_FILE_WITH_A_BAD_ROW)
    problems = page.locator("#import-preview tbody tr.row-problem")
    expect(problems).to_have_count(1)
    expect(problems.locator("td").first).to_have_text("4")
    expect(problems.locator(".errorlist li")).to_contain_text("daniëlle.smit(at)alfa.example")
    expect(page.locator("#import-preview tbody tr:not(.row-problem)")).to_have_count(2)
    expect(page.locator("form[action$='/apply/']")).to_have_count(0)
    assert not Employee.objects.filter(organization=organization, first_name="Mila").exists()

    # The corrected file goes into the upload form that the preview offers again.
    upload(page, "medewerkers-verbeterd.csv", PEOPLE_FILE_FIXED)
    expect(page.locator("#import-preview tbody tr.row-problem")).to_have_count(0)
    expect(page.locator("#import-preview .stat")).to_have_text(["2", "1", "0", "0"])  # new, updated, same, problems
    expect(page.locator("#import-preview tbody")).to_contain_text("Daniëlle Smit")  # Windows-1252 read right

    # The address the preview pushed is a page of its own: reload it before confirming.
    visit(page, page.url)
    follow(
        page,
        page.locator("form[action$='/apply/'] button[type=submit]"),
        url=re.compile(r"/o/alfa/people/$"),
    )
    expect(page.locator(".message-success")).to_be_visible()

    # Find the new person through the search box and open them.
    results = page.locator("#people-results")
    with page.expect_response(lambda response: "q=smit" in response.url):
        page.locator("#id_q").fill("smit")
    expect(results.locator("tbody tr")).to_have_count(1)
    check_a11y(page)
    follow(page, results.get_by_role("link", name="Daniëlle Smit"))
    facts = page.locator("dl.facts").first  # the person's facts; the history below has its own lists
    expect(facts).to_contain_text("danielle.smit@alfa.example")
    expect(facts).to_contain_text("Klantenservice")
    expect(facts).to_contain_text("Mila Dekker")
    pieter = Employee.objects.get(organization=organization, user__email="pieter.bakker@alfa.example")
    assert pieter.job_title == "Senior adviseur" and pieter.manager.first_name == "Mila"
