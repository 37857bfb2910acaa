"""The language coach: flags vague wording in expectations and observations.

``coach(text, language, purpose=...)`` is a pure function (no database) that
returns ``Finding``s in four kinds:

- ``container``: container words and empty adjectives ("proactief",
  "team player"), which everyone fills in differently;
- ``judgement``: labels about the person ("lui", "attitude") instead of a
  description of behaviour;
- ``absolute``: "altijd", "never", "every time", which one counter-example
  undoes;
- ``no_action``: the text names nothing that someone could be seen or heard
  doing.

Findings warn; they never block. The word lists, and a concrete hint per
entry in Dutch and English, live in ``coach_words.toml`` beside this module
(its header explains the notation), so they grow without code changes.
Reasons are per kind and live here, marked for translation.

Matching. Every term, and every "ignore" phrase (a phrase that contains a
term but means something else, such as "negatieve feedback"), becomes one
alternative of a single regular expression per text language, compiled once.
It is case-insensitive, on whole words, with hyphens and spaces inside a term
interchangeable or absent, accents optional. Where matches overlap, the one
that starts first wins, and of those the longest: "not a team player" is a
judgement, not a container word; "negative feedback" is nothing.

The no-action heuristic is deliberately simple, because nagging about a clear
sentence costs more trust than missing a vague one. A text is flagged when

1. it contains a copula or a verb of state or attitude from the ``states``
   list ("is", "bent", "heeft", "toont", "are", "has", "show", ...), and
2. it contains no action, where an action is either
   a. a form of a listed observable verb ("vraagt", "meldt", "asks",
      "reports", ...), or
   b. a subject at the start of a clause ("Je", "you", "en hij", "when you")
      followed by a word that could be its verb: in Dutch a word ending in -t
      (or -en after we/ze/zij), in English any word after skipping modals and
      adverbs, provided it is not a state verb or a known non-verb. This
      catches "Je ruimt ...", "You fix ..." without listing every verb;
   c. in Dutch, a word ending in -t right before hij/zij/ze/u, the verb of
      an inverted clause ("Na een klacht belt hij ...");
   and a word inside a container or judgement match does not count as an
   action ("takes ownership", "werkt hard").

So "Is proactief", "Is a team player" and "Hij heeft een negatieve houding"
are flagged; "Je vraagt binnen een week feedback" and a verb-less title such
as "Feedback na oplevering" are not (the latter has no state verb: the
container list catches the vague titles). The no-action finding's words are
the state verbs found; its offsets are None because it is about the whole
text, and it comes first. The other findings follow in text order, one per
list entry, whose words are the distinct forms of it in the text.

Reasons and hints are in the interface language (Django's active language),
which need not be the language of the text: an English-speaking HR admin may
check Dutch wording.
"""

import bisect
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

from django.db import models
from django.utils.translation import get_language, gettext, gettext_lazy, gettext_noop

WORDS_FILE = Path(__file__).with_name("coach_words.toml")
LANGUAGES = ("nl", "en")


class Kind(models.TextChoices):
    CONTAINER = "container", gettext_lazy("Container word")
    NO_ACTION = "no_action", gettext_lazy("No observable action")
    ABSOLUTE = "absolute", gettext_lazy("Absolute")
    JUDGEMENT = "judgement", gettext_lazy("Judgement about the person")


class Purpose(models.TextChoices):
    EXPECTATION = "expectation", gettext_lazy("Expectation")
    OBSERVATION = "observation", gettext_lazy("Observation")


# The kinds that come from word lists, in the data file's section names.
LISTED_KINDS = (Kind.CONTAINER, Kind.JUDGEMENT, Kind.ABSOLUTE)


@dataclass(frozen=True, slots=True)
class Finding:
    kind: Kind
    words: tuple[str, ...]  # the offending words as they appear in the text, distinct, in text order
    start: int | None  # offsets of the first occurrence, for highlighting; None for no_action
    end: int | None
    reason: str  # why it is a problem, in the interface language
    hint: str  # what to write instead, with an example, in the interface language


# Marked here, translated when coach() runs, so the reader's language applies.
REASONS = {
    (Kind.CONTAINER, Purpose.EXPECTATION): gettext_noop(
        "A container word: everyone fills it in differently, so nobody can tell what to do to meet it."
    ),
    (Kind.CONTAINER, Purpose.OBSERVATION): gettext_noop(
        "A container word: it sums up instead of recording what happened, so the employee cannot tell what you saw."
    ),
    (Kind.NO_ACTION, Purpose.EXPECTATION): gettext_noop(
        "This names no action that someone could be seen or heard doing, so it cannot be observed or discussed fairly."
    ),
    (Kind.NO_ACTION, Purpose.OBSERVATION): gettext_noop(
        "This records no action that you saw or heard; an observation describes what the person did."
    ),
    (Kind.ABSOLUTE, Purpose.EXPECTATION): gettext_noop(
        "An absolute: a single exception already means the expectation is not met, which nobody can live up to."
    ),
    (Kind.ABSOLUTE, Purpose.OBSERVATION): gettext_noop(
        "An absolute: one counter-example undoes it, and the conversation turns into a debate about exceptions."
    ),
    (Kind.JUDGEMENT, Purpose.EXPECTATION): gettext_noop(
        "A judgement about the person rather than a description of behaviour; an expectation says what someone does."
    ),
    (Kind.JUDGEMENT, Purpose.OBSERVATION): gettext_noop(
        "A judgement about the person rather than a description of what they did; it cannot be checked "
        "and makes people defensive."
    ),
}

# Inside a term, a run of spaces or hyphens matches any run of whitespace or hyphens, or nothing.
SEPARATOR = r"[\s\-\u00ad\u2010\u2011]*"
APOSTROPHES = "'’‘`"
TOKEN = re.compile(r"\w+(?:['’]\w+)*")
# Punctuation that ends a clause, so a subject right after it starts a new one.
CLAUSE_BREAK = re.compile(r"[.!?;:,()\[\]\"“”\n•·–—]")


def key(word: str) -> str:
    """A word or term folded for comparison: lower case, no accents, no separators, one kind of apostrophe."""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    for apostrophe in APOSTROPHES[1:]:
        plain = plain.replace(apostrophe, "'")
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", plain)


def char_pattern(char: str) -> str:
    if char in APOSTROPHES:
        return "[" + re.escape(APOSTROPHES) + "]"
    decomposed = unicodedata.normalize("NFD", char)
    if len(decomposed) > 1 and not unicodedata.combining(decomposed[0]):
        # "ï" also matches "i" and "i" + a combining diaeresis: people type both.
        return f"(?:{re.escape(char)}|{re.escape(decomposed[0])}(?:{re.escape(decomposed[1:])})?)"
    return re.escape(char)


def term_pattern(term: str) -> str:
    """One term of the data file as a regular expression (without the word boundaries)."""
    pieces = re.split(r"([\s\-]+)", term.strip())
    return "".join(
        SEPARATOR if piece.strip(" -\t") == "" else "".join(char_pattern(char) for char in piece)
        for piece in pieces
        if piece
    )


@cache
def words() -> dict:
    """The parsed data file."""
    with WORDS_FILE.open("rb") as file:
        return tomllib.load(file)


@dataclass(frozen=True)
class Lexicon:
    """Everything the coach needs for text in one language, compiled once."""

    # The terms and ignore phrases by the first two letters of their folded form, so that at each word only a
    # handful of alternatives is tried: {prefix: (pattern, ((kind, entry) for group 1, 2, ...))}, where the kind
    # and entry of an ignore phrase are None.
    buckets: dict
    actions: frozenset
    states: frozenset
    subjects: frozenset
    plural_subjects: frozenset
    inverted_subjects: frozenset
    clause_openers: frozenset
    between: frozenset
    not_verbs: frozenset


def word_set(forms: list[str]) -> frozenset:
    """A list of strings with space-separated forms ("vraag vraagt vragen") as one set of keys."""
    return frozenset(key(form) for line in forms for form in line.split())


@cache
def lexicon(language: str) -> Lexicon:
    data = words()
    terms = [(term, None, None) for term in data["ignore"][language]]
    for kind in LISTED_KINDS:
        for entry in data[kind.value]:
            terms.extend((term, kind, entry) for term in entry.get(language, []))
    # Longest first, so that of two terms starting at the same place the longer one wins.
    terms.sort(key=lambda item: len(key(item[0])), reverse=True)
    grouped = {}
    for term, kind, entry in terms:
        grouped.setdefault(key(term)[:2], []).append((term, kind, entry))
    buckets = {
        prefix: (
            re.compile("(?:" + "|".join(f"({term_pattern(term)})" for term, _k, _e in group) + r")(?!\w)", re.I),
            tuple((kind, entry) for _term, kind, entry in group),
        )
        for prefix, group in grouped.items()
    }
    return Lexicon(
        buckets=buckets,
        actions=word_set(data["actions"][language]),
        states=word_set(data["states"][language]),
        subjects=word_set(data["subjects"][language]),
        plural_subjects=word_set(data["plural_subjects"][language]),
        inverted_subjects=word_set(data["inverted_subjects"][language]),
        clause_openers=word_set(data["clause_openers"][language]),
        between=word_set(data["between"][language]),
        not_verbs=word_set(data["not_verbs"][language]),
    )


def ui_language() -> str:
    language = (get_language() or "").split("-")[0].lower()
    return language if language in LANGUAGES else "en"


def hint_for(entry: dict, purpose: str, ui: str) -> str:
    if purpose == Purpose.OBSERVATION and "hint_observation" in entry:
        return entry["hint_observation"][ui]
    return entry["hint"][ui]


class Token(NamedTuple):
    start: int
    end: int
    key: str
    text: str


def tokenize(text: str) -> list[Token]:
    return [Token(match.start(), match.end(), key(match.group(0)), match.group(0)) for match in TOKEN.finditer(text)]


def term_matches(text: str, tokens: list[Token], lexicon: Lexicon):
    """(kind, entry, match) for each term in the text: leftmost first, then longest, never overlapping."""
    matched_to = 0
    for token in tokens:
        if token.start < matched_to:
            continue
        # Four characters: enough for two letters after a separator or a combining accent.
        bucket = lexicon.buckets.get(key(text[token.start : token.start + 4])[:2])
        match = bucket and bucket[0].match(text, token.start)
        if match:
            matched_to = match.end()
            yield (*bucket[1][match.lastindex - 1], match)


def listed_findings(text: str, tokens: list[Token], lexicon: Lexicon, purpose: str, ui: str):
    """Container, judgement and absolute findings in text order, and the spans of containers and judgements."""
    found = {}  # id(entry) -> [kind, entry, words, seen keys, start, end]
    spans = []
    for kind, entry, match in term_matches(text, tokens, lexicon):
        if kind is None:
            continue
        if kind != Kind.ABSOLUTE:
            spans.append((match.start(), match.end()))
        surface = match.group(0)
        record = found.setdefault(id(entry), [kind, entry, [], set(), match.start(), match.end()])
        if key(surface) not in record[3]:
            record[3].add(key(surface))
            record[2].append(surface)
    findings = [
        Finding(
            kind=kind,
            words=tuple(surfaces),
            start=start,
            end=end,
            reason=gettext(REASONS[kind, purpose]),
            hint=hint_for(entry, purpose, ui),
        )
        for kind, entry, surfaces, _seen, start, end in found.values()
    ]
    findings.sort(key=lambda finding: finding.start)
    return findings, spans


def no_action_words(text: str, tokens: list[Token], lexicon: Lexicon, spans: list[tuple], language: str):
    """The state verbs that carry a text without any action (see the module docstring); () when it has one."""
    # Spans come in text order and never overlap: the only one a token can be inside is the first that ends
    # after the token starts.
    span_ends = [end for _start, end in spans]

    def in_span(token):
        index = bisect.bisect_right(span_ends, token.start)
        return index < len(spans) and spans[index][0] <= token.start and token.end <= spans[index][1]

    def clause_start(index):
        if index == 0:
            return True
        previous = tokens[index - 1]
        broken = CLAUSE_BREAK.search(text, previous.end, tokens[index].start)
        return bool(broken) or previous.key in lexicon.clause_openers

    def could_be_verb(subject, token):
        word = token.key
        if in_span(token) or word in lexicon.states or word in lexicon.not_verbs or not word.isalpha():
            return False
        if language == "nl":
            ending = "en" if subject in lexicon.plural_subjects else "t"
            return len(word) >= 3 and (word.endswith("t") or word.endswith(ending))
        return len(word) >= 2

    states = {}
    for index, token in enumerate(tokens):
        word = token.key
        if word in lexicon.actions and not in_span(token):
            return ()
        if word in lexicon.states:
            states.setdefault(word, token.text)
        if word in lexicon.inverted_subjects and index and could_be_verb("", tokens[index - 1]):
            return ()
        if word in lexicon.subjects and clause_start(index):
            following = index + 1
            while following < len(tokens) and (
                tokens[following].key in lexicon.between or (language == "en" and tokens[following].key.endswith("ly"))
            ):
                following += 1
            if following < len(tokens) and could_be_verb(word, tokens[following]):
                return ()
    return tuple(states.values())


def coach(text: str, language: str, *, purpose: str = Purpose.EXPECTATION) -> list[Finding]:
    """What the coach says about ``text``, written in ``language`` ("nl" or "en"), as an expectation or observation.

    Returns [] for empty or clear text. Raises ValueError for a language or
    purpose it does not know (a programming error, not bad input); any text
    at all is fine.
    """
    code = str(language).split("-")[0].lower()
    if code not in LANGUAGES:
        raise ValueError(f"The coach reads Dutch and English, not {language!r}.")
    if purpose not in Purpose.values:
        raise ValueError(f"Unknown purpose {purpose!r}.")
    purpose = Purpose(purpose)
    if not text or not text.strip():
        return []
    vocabulary = lexicon(code)
    ui = ui_language()
    tokens = tokenize(text)
    findings, spans = listed_findings(text, tokens, vocabulary, purpose, ui)
    states = no_action_words(text, tokens, vocabulary, spans, code)
    if states:
        section = words()["no_action"]
        no_action = Finding(
            kind=Kind.NO_ACTION,
            words=states,
            start=None,
            end=None,
            reason=gettext(REASONS[Kind.NO_ACTION, purpose]),
            hint=hint_for(section, purpose, ui),
        )
        findings.insert(0, no_action)
    return findings
