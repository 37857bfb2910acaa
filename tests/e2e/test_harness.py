"""The checks the journeys rely on must be able to fail: a silent axe or error watcher proves nothing."""

import pytest

from .conftest import check_a11y, watch_errors

pytestmark = pytest.mark.browser


def test_check_a11y_names_every_serious_violation_and_its_elements(page):
    page.set_content(
        '<!DOCTYPE html><html lang="nl"><head><title>Proef</title></head>'
        '<body><main><h1>Proef</h1><img src="data:," id="no-alt"><input id="no-label"></main></body></html>'
    )
    with pytest.raises(pytest.fail.Exception) as failure:
        check_a11y(page)
    report = str(failure.value)
    assert "image-alt (critical)" in report and "#no-alt" in report
    assert "label (critical)" in report and "#no-label" in report


def test_error_watcher_reports_a_script_the_csp_blocks(browser):
    context = browser.new_context()  # the CSP enforced, as a real browser would
    try:
        page = context.new_page()
        page.route(
            "http://helder.invalid/csp-probe",
            lambda route: route.fulfill(
                content_type="text/html",
                headers={"Content-Security-Policy": "script-src 'self'"},
                body="<!DOCTYPE html><title>csp</title><script>window.ran = true</script>",
            ),
        )
        errors = []
        watch_errors(page, errors)
        page.goto("http://helder.invalid/csp-probe")
        assert page.evaluate("window.ran === undefined"), "the CSP should have blocked the inline script"
        page.wait_for_timeout(100)
        assert any("Content Security Policy" in error for error in errors), errors
    finally:
        context.close()
