"""The import page writes its row limit as each language groups numbers: 10.000 in Dutch, 10,000 in English."""

import pytest
from django.test import override_settings
from django.utils import translation

from organizations.forms import PeopleFileForm
from organizations.importing import PeopleFileError, parse_people_text


@pytest.mark.parametrize(("language", "written"), [("nl", "10.000 mensen"), ("en", "10,000 people")])
@override_settings(PEOPLE_IMPORT_MAX_ROWS=10_000)
def test_the_help_text_groups_the_limit(language, written):
    with translation.override(language):
        assert written in str(PeopleFileForm().fields["file"].help_text)


@override_settings(PEOPLE_IMPORT_MAX_ROWS=1_000)
def test_the_refusal_groups_the_limit():
    text = "email;first_name\n" + "".join(f"p{n}@example.org;P\n" for n in range(1_001))
    with translation.override("nl"), pytest.raises(PeopleFileError, match="meer dan 1.000 mensen"):
        parse_people_text(text)
