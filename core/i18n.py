"""Texts written in both of Helder's languages: a Dutch and an English field side by side (``*_nl``, ``*_en``).

People read such a text in the active language, falling back to the other one
when theirs is empty; the organisation's own language is the one that may not
be empty. Models mix in :class:`Localized`, forms :class:`BilingualForm`, and
services call :func:`require_in_language` (or :func:`missing_in_language`), so
the three agree on the rule.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("nl", "en")  # Dutch first, everywhere both languages are shown side by side
REQUIRED_IN_ORGANIZATION_LANGUAGE = _("Fill this in, in the organisation's language.")


def localized(obj, field: str, language: str | None = None) -> str:
    """``obj.<field>_<language>`` (the active language by default), or the other language when that one is empty."""
    language = (language or get_language() or "nl")[:2]
    other = "en" if language == "nl" else "nl"
    return getattr(obj, f"{field}_{language}", "") or getattr(obj, f"{field}_{other}", "")


class Localized:
    """Model mixin: ``obj.local_<field>`` reads a bilingual field in the active language (see :func:`localized`)."""

    def __getattr__(self, name):
        if name.startswith("local_"):
            return localized(self, name.removeprefix("local_"))
        raise AttributeError(name)


def bilingual_names(texts) -> tuple[str, ...]:
    """The field names of ``texts`` in both languages: ``("name",)`` gives ``("name_nl", "name_en")``."""
    return tuple(f"{text}_{language}" for text in texts for language in LANGUAGES)


def field_label(model, name: str) -> str:
    """The label of one of ``model``'s fields, from its verbose name, e.g. "Observable behaviour (Dutch)"."""
    return capfirst(model._meta.get_field(name).verbose_name)


def missing_in_language(obj, language: str, *texts: str) -> dict:
    """``{"<text>_<language>": message}`` for each of ``texts`` that is empty in ``language`` on ``obj``.

    ``language`` is the organisation's: the one text readers fall back to, so
    the one that must be there. For a service that gathers more errors first.
    """
    return {
        f"{text}_{language}": REQUIRED_IN_ORGANIZATION_LANGUAGE
        for text in texts
        if not (getattr(obj, f"{text}_{language}") or "").strip()
    }


def require_in_language(obj, language: str, *texts: str) -> None:
    """Refuse, with a ValidationError at each field, when one of ``texts`` is empty in ``language`` on ``obj``."""
    if errors := missing_in_language(obj, language, *texts):
        raise ValidationError(errors)


class BilingualForm:
    """Form mixin: each of ``bilingual_texts`` of ``bilingual_model`` as two fields, ``<text>_nl`` and ``<text>_en``.

    Put it before ``forms.Form``. The form takes ``organization`` (anything with
    a ``language``): a text in ``bilingual_required`` is required in that
    language only, as :func:`require_in_language` is in the service. Each field
    takes its label and limits from the model field, carries ``lang`` for
    screen readers and spell checkers, and is added after the declared fields.
    """

    bilingual_model = None
    bilingual_texts: tuple = ()
    bilingual_required: tuple = ()  # texts that may not be empty in the organisation's language
    bilingual_textareas: dict = {}  # text -> rows of its multi-line box; the others are one line
    bilingual_help: dict = {}  # text -> help text under both of its fields

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        for text in self.bilingual_texts:
            for language in LANGUAGES:
                self.fields[f"{text}_{language}"] = self._bilingual_field(text, language, organization.language)

    def _bilingual_field(self, text: str, language: str, organization_language: str):
        name = f"{text}_{language}"
        rows = self.bilingual_textareas.get(text)
        widget = {"widget": forms.Textarea(attrs={"rows": rows})} if rows else {}
        field = self.bilingual_model._meta.get_field(name).formfield(required=False, **widget)
        field.label = field_label(self.bilingual_model, name)
        field.widget.attrs["lang"] = language
        if text in self.bilingual_help:
            field.help_text = self.bilingual_help[text]
        if text in self.bilingual_required and language == organization_language:
            field.required = True
            field.error_messages["required"] = REQUIRED_IN_ORGANIZATION_LANGUAGE
        return field

    def bilingual_rows(self):
        """The bilingual fields in pairs, Dutch beside English, in the order of ``bilingual_texts``."""
        return [[self[f"{text}_{language}"] for language in LANGUAGES] for text in self.bilingual_texts]

    @classmethod
    def bilingual_initial(cls, obj) -> dict:
        """The bilingual fields' initial values, read from ``obj`` (a row of ``bilingual_model``)."""
        return {name: getattr(obj, name) for name in bilingual_names(cls.bilingual_texts)}
