"""core.i18n: bilingual texts read in the active language with a fallback, and forms and services that agree."""

from types import SimpleNamespace

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from core.i18n import BilingualForm, Localized, bilingual_names, localized, missing_in_language, require_in_language
from expectations.models import CoreValue

REQUIRED = "Fill this in, in the organisation's language."


class Text(Localized):
    def __init__(self, **fields):
        self.__dict__.update(fields)


class ValueForm(BilingualForm, forms.Form):
    bilingual_model = CoreValue
    bilingual_texts = ("name", "description")
    bilingual_required = ("name",)
    bilingual_textareas = {"description": 5}
    bilingual_help = {"description": "One or two sentences."}


def organization(language):
    return SimpleNamespace(language=language)


def test_a_text_is_read_in_the_active_language():
    text = Text(title_nl="Samen", title_en="Together")
    with translation.override("en"):
        assert text.local_title == "Together"
    with translation.override("nl"):
        assert text.local_title == "Samen"
    assert localized(text, "title", "en-gb") == "Together"


def test_an_empty_text_falls_back_to_the_other_language():
    text = Text(title_nl="Samen", title_en="")
    with translation.override("en"):
        assert text.local_title == "Samen"


def test_only_local_names_are_read_bilingually():
    with pytest.raises(AttributeError):
        getattr(Text(title_nl="Samen"), "title")  # noqa: B009 - the attribute is read on purpose


def test_bilingual_names_put_dutch_first():
    assert bilingual_names(("name", "purpose")) == ("name_nl", "name_en", "purpose_nl", "purpose_en")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_form_requires_a_text_in_the_organisations_language_only(language):
    other = "en" if language == "nl" else "nl"
    with translation.override("en"):
        form = ValueForm({f"name_{other}": "Together"}, organization=organization(language))
        assert not form.is_valid()
        assert form.errors == {f"name_{language}": [REQUIRED]}
        assert ValueForm({f"name_{language}": "Samen"}, organization=organization(language)).is_valid()


def test_each_field_is_labelled_from_the_model_and_says_its_language():
    form = ValueForm(organization=organization("nl"))
    with translation.override("en"):  # labels are read when the page is drawn, in its language
        assert form.fields["name_nl"].label == "Name (Dutch)"
        assert form.fields["description_en"].label == "Short description (English)"
    assert [form.fields[name].widget.attrs["lang"] for name in ("name_nl", "name_en")] == ["nl", "en"]
    assert form.fields["description_nl"].widget.attrs["rows"] == 5
    assert form.fields["description_en"].help_text == "One or two sentences."
    assert isinstance(form.fields["name_nl"].widget, forms.TextInput)
    assert form.fields["name_nl"].max_length == 80  # the model's limit


def test_the_rows_pair_dutch_with_english_and_the_initial_values_come_from_the_row():
    form = ValueForm(organization=organization("nl"))
    assert [[bound.name for bound in row] for row in form.bilingual_rows()] == [
        ["name_nl", "name_en"],
        ["description_nl", "description_en"],
    ]
    row = CoreValue(name_nl="Samen", name_en="Together", description_nl="", description_en="Jointly")
    assert ValueForm.bilingual_initial(row) == {
        "name_nl": "Samen",
        "name_en": "Together",
        "description_nl": "",
        "description_en": "Jointly",
    }


def test_a_service_refuses_a_text_missing_in_the_organisations_language_at_that_field(english):
    row = Text(name_nl="  ", name_en="Together", title_nl="Samen", title_en="")
    assert missing_in_language(row, "en", "name", "title") == {"title_en": REQUIRED}
    with pytest.raises(ValidationError) as refused:
        require_in_language(row, "nl", "name", "title")
    assert refused.value.message_dict == {"name_nl": [REQUIRED]}
    require_in_language(row, "en", "name")  # present: no error
