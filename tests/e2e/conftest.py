"""Browser journeys: Debian's chromium driven by playwright against pytest-django's live server.

Every page a journey lands on goes through axe; a serious or critical
violation fails the test and names the rule and the elements. Navigate with
``visit(page, path)`` or ``follow(page, locator)`` so that no page is missed,
and call ``check_a11y(page)`` after an htmx swap. ``alfa_organisation()`` and
``person(...)`` build the people a journey logs in as with ``log_in(page, user)``.

Playwright's sync API keeps an asyncio loop running in the test thread for as
long as it is started, so Django's ORM would refuse to run (SynchronousOnlyOperation)
in the factories and in pytest-django's database teardown.
DJANGO_ALLOW_ASYNC_UNSAFE is set only while the browser is up, and the live
server runs requests in its own thread, which has no loop.
"""

import os
import shutil
from pathlib import Path

import pytest

from organizations.models import Role
from tests.conftest import need
from tests.factories import PASSWORD, EmployeeFactory, OrganizationFactory, TeamFactory, UserFactory

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
BLOCKING_IMPACTS = {"serious", "critical"}
# Screenshots and other artefacts of a run; never inside the repository.
ARTEFACTS = Path(os.environ.get("E2E_ARTEFACTS", "/tmp/helder-e2e"))


def chromium_path():
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the whole run. Never downloads a browser: it uses the system's."""
    executable = chromium_path()
    if not executable:
        need("chromium is not installed (apt-get install chromium); browser tests need it")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need("playwright is not installed (pip install -e '.[dev]')")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        try:
            chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        except Exception as error:  # any launch failure means: no usable chromium here
            need(f"chromium at {executable} did not start: {error}")
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_locale():
    """The browser's language (its Accept-Language); override with parametrize to change it."""
    return "nl-NL"


@pytest.fixture
def new_page(browser, live_server, browser_locale):
    """A page in a fresh context, with its own cookies: ``new_page(locale=, viewport=, bypass_csp=)``.

    Relative URLs resolve against the live server. Contexts bypass the CSP by
    default so that axe can always be injected; that also hides a page whose
    own scripts the CSP would block, so a journey that relies on htmx should
    run once with ``bypass_csp=False``, where every CSP report fails the test.
    Uncaught JavaScript errors fail the test when it ends.
    """
    contexts, errors = [], []

    def _new_page(locale=None, viewport=None, bypass_csp=True):
        options = {"base_url": live_server.url, "bypass_csp": bypass_csp, "locale": locale or browser_locale}
        if viewport:
            options["viewport"] = viewport
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        watch_errors(page, errors)
        return page

    yield _new_page
    for context in contexts:
        context.close()
    assert not errors, "JavaScript errors or CSP violations:\n" + "\n".join(errors)


def watch_errors(page, errors):
    """Append uncaught JavaScript errors and CSP violations on ``page`` to ``errors``."""

    def on_console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            errors.append(f"{page.url}: {message.text}")

    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    page.on("console", on_console)


@pytest.fixture
def page(new_page):
    return new_page()


def check_a11y(page):
    """Run axe on the page as it is now; fail on every serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    if blocking:
        lines = [f"axe found {len(blocking)} serious or critical violation(s) on {page.url}:"]
        for violation in blocking:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"]:
                lines.append(f"    at {' '.join(str(part) for part in node['target'])}")
        pytest.fail("\n".join(lines), pytrace=False)
    return results


def check_response(page, response):
    assert response is not None, f"no response for {page.url}"
    assert response.status < 400, f"{response.status} for {response.url}"


def visit(page, path):
    """Go to ``path`` (relative to the live server), expect a non-error page, and check it with axe."""
    response = page.goto(path)
    check_response(page, response)
    check_a11y(page)
    return response


def follow(page, locator, url=None):
    """Click ``locator``, wait for the page it loads, expect no error status, and check it with axe."""
    expectation = page.expect_navigation(url=url) if url else page.expect_navigation()
    with expectation as navigation:
        locator.click()
    check_response(page, navigation.value)
    check_a11y(page)
    return navigation.value


def log_in(page, user, password=PASSWORD):
    """Log ``user`` in through allauth's real form; labels may be in either language, so select by name."""
    visit(page, "/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(password)
    follow(page, page.locator("form[action='/accounts/login/'] [type=submit]"))
    assert "/accounts/login/" not in page.url, f"login failed for {user.email}"


def person(organization, first_name, last_name, *, email=None, **fields):
    """Someone in ``organization`` who can log in, as first.last@<slug>.example unless ``email`` says otherwise."""
    email = email or f"{first_name}.{last_name}@{organization.slug}.example".lower()
    user = UserFactory(email=email)
    return EmployeeFactory(organization=organization, user=user, first_name=first_name, last_name=last_name, **fields)


def alfa_organisation():
    """Alfa BV ("alfa", Dutch) with its team Klantenservice and its HR admin Hanna de Vries: every journey's start."""
    organization = OrganizationFactory(slug="alfa", name="Alfa BV", language="nl")
    team = TeamFactory(organization=organization, name="Klantenservice")
    hr = person(organization, "Hanna", "de Vries", email="hanna@alfa.example", role=Role.HR_ADMIN)
    return organization, team, hr


def screenshot(page, name):
    """Save a full-page screenshot under ARTEFACTS (outside the repository) and return its path."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def fits_a_phone(page, name):
    """The page does not scroll sideways at the viewport's width; a screenshot named ``name`` either way."""
    overflow = page.evaluate(OVERFLOW)
    shot = screenshot(page, name)
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 390px wide (see {shot})"
