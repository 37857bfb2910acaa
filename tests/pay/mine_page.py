"""Reading "What my outcome means" (pay.views_mine) as a person does: shared by the tests of the page, its sentences
and the home card."""

import html
import re

from tests.kit import url

# Whitespace a page adds between tags; not the no-break space babel puts in "€ 3.400,00" and "3 %".
_SPACES = re.compile(r"[ \t\r\n]+")
_TAGS = re.compile(r"<[^>]+>")


def mine(organization, **query):
    address = url("pay:mine", organization)
    return f"{address}?cycle={query['cycle']}" if "cycle" in query else address


def about(person, **query):
    address = url("pay:person_outcomes", person.organization, employee_id=person.pk)
    return f"{address}?cycle={query['cycle']}" if "cycle" in query else address


def text(fragment: str) -> str:
    """``fragment`` as a reader sees it: tags gone, entities read, runs of whitespace one space."""
    return _SPACES.sub(" ", html.unescape(_TAGS.sub(" ", fragment))).strip()


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return text(response.content.decode())


def card(response, band) -> str:
    """The text of ``band``'s card on the page (fails when the page has none)."""
    page = response.content.decode()
    found = re.search(rf'<article[^>]*id="band-{band.pk}"[^>]*>(.*?)</article>', page, re.S)
    assert found, f"no card for {band} on the page"
    return text(found.group(1))


def card_markup(response, band) -> str:
    found = re.search(rf'<article[^>]*id="band-{band.pk}"[^>]*>.*?</article>', response.content.decode(), re.S)
    assert found, f"no card for {band} on the page"
    return found.group(0)
