"""The language coach: flags vague wording in expectations and observations.

``coach(text, language)`` is a pure function (no database). It looks for

- container words and empty adjectives ("proactief", "team player"): everyone
  reads their own meaning into them;
- absolutes ("altijd", "never"): one counter-example makes them untrue;
- judgements about the person ("lui", "attitude") instead of behaviour;
- no action at all: nothing in the text that someone could be seen or heard
  doing.

The word lists live in ``coach_words.toml`` beside this module, so they grow
without code changes. The no-action check is deliberately simple and
predictable: a text passes when it contains one of the listed action verbs,
or a "je/jij/u <verb>t" (Dutch) or "you <verb>" (English) that is not a form
of to be, to have, a modal or a verb of thinking. A missed vague sentence is
cheaper than nagging about a clear one, so the lists lean towards passing.

Findings warn; they never block. Reasons and hints come in the interface
language (the reader's), which need not be the language of the text.
"""

import re
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from django.utils.translation import get_language
from django.utils.translation import gettext as _

WORDS_FILE = Path(__file__).with_name("coach_words.toml")
LANGUAGES = ("nl", "en")
PURPOSES = ("expectation", "observation")


class Kind(StrEnum):
    CONTAINER = "container"
    NO_ACTION = "no_action"
    ABSOLUTE = "absolute"
    JUDGEMENT = "judgement"


@dataclass(frozen=True)
class Finding:
    kind: Kind
    words: tuple[str, ...]  # as they appear in the text; empty for no_action
    start: int | None  # offset of the first occurrence; None for no_action
    end: int | None
    reason: str
    hint: str


@dataclass(frozen=True)
class Entry:
    kind: Kind
    pattern: re.Pattern
    hint_nl: str
    hint_en: str


def term_pattern(term: str) -> str:
    """A term from the data file as a regular expression (see the file's header for the notation)."""
    stem, wildcard = (term[:-1], True) if term.endswith("*") else (term, False)
    pieces = re.split(r"([ -])", stem.strip())
    regex = "".join({" ": r"\s+", "-": r"[-\s]?"}.get(piece, re.escape(piece)) for piece in pieces)
    return regex + (r"\w*" if wildcard else "")


def compile_terms(terms) -> re.Pattern:
    # Longest first, so "communicatief vaardig" wins over a shorter overlapping term.
    alternatives = sorted((term_pattern(term) for term in terms), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)


@cache
def data():
    with WORDS_FILE.open("rb") as file:
        raw = tomllib.load(file)
    entries = {language: [] for language in LANGUAGES}
    for item in raw["entry"]:
        entries[item["language"]].append(
            Entry(
                kind=Kind(item["kind"]),
                pattern=compile_terms(item["terms"]),
                hint_nl=item["hint"]["nl"],
                hint_en=item["hint"]["en"],
            )
        )
    actions = {language: compile_terms(raw["actions"][language]) for language in LANGUAGES}
    copulas = {language: {word.lower() for word in raw["copulas"][language]} for language in LANGUAGES}
    return entries, actions, copulas


PERSONAL = {
    # A pronoun followed by a verb of its own: "je archiveert", "you archive".
    "nl": re.compile(r"\b(?:je|jij|u)\s+(\w+t)\b", re.IGNORECASE),
    "en": re.compile(r"\byou\s+(?:\w+ly\s+|always\s+|never\s+|also\s+)?(\w+)\b", re.IGNORECASE),
}


def has_action(text: str, language: str) -> bool:
    _entries, actions, copulas = data()
    if actions[language].search(text):
        return True
    for match in PERSONAL[language].finditer(text):
        if match.group(1).lower() not in copulas[language]:
            return True
    return False


def reason_for(kind: Kind, purpose: str) -> str:
    if kind == Kind.CONTAINER:
        return _("A container word: everyone reads their own meaning into it, and nobody can see it happen.")
    if kind == Kind.ABSOLUTE:
        return _("An absolute: one counter-example makes it untrue, and the conversation becomes a debate.")
    if kind == Kind.JUDGEMENT:
        return _("A judgement about the person, not a description of what they did.")
    if purpose == "observation":
        return _("This does not say what the person did: nothing in it could be seen or heard.")
    return _("There is no action in this text that someone could be seen or heard doing.")


def no_action_hint(purpose: str) -> str:
    if purpose == "observation":
        return _(
            "Write what happened: the situation, what the person did or said, and its effect. For example: "
            "‘In Tuesday’s meeting Sanne summarised the three agreements; the client confirmed them by email.’"
        )
    return _(
        "Start with a verb you could see or hear, and say when or how often. For example: "
        "‘You ask the customer for feedback within a week of delivery.’"
    )


def coach(text: str, language: str, *, purpose: str = "expectation") -> list[Finding]:
    """Findings about ``text`` written in ``language`` (nl or en), in text order; [] when it reads clearly."""
    if not text or not text.strip():
        return []
    language = language if language in LANGUAGES else "nl"
    purpose = purpose if purpose in PURPOSES else "expectation"
    ui_language = (get_language() or "en")[:2]
    entries, _actions, _copulas = data()
    found = {}
    for entry in entries[language]:
        for match in entry.pattern.finditer(text):
            key = (entry.kind, match.group(0).lower())
            if key in found:
                continue
            found[key] = Finding(
                kind=entry.kind,
                words=(match.group(0),),
                start=match.start(),
                end=match.end(),
                reason=reason_for(entry.kind, purpose),
                hint=entry.hint_nl if ui_language == "nl" else entry.hint_en,
            )
    # "bad attitude" and "attitude" are one remark: keep the widest match where spans overlap.
    widest_first = sorted(found.values(), key=lambda finding: (finding.start, -finding.end))
    findings = []
    for finding in widest_first:
        if findings and finding.start < findings[-1].end:
            continue
        findings.append(finding)
    if not has_action(text, language):
        findings.append(
            Finding(
                kind=Kind.NO_ACTION,
                words=(),
                start=None,
                end=None,
                reason=reason_for(Kind.NO_ACTION, purpose),
                hint=no_action_hint(purpose),
            )
        )
    return findings
