"""The language coach on real phrases, in both languages (no database)."""

import tomllib

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from expectations.coach import WORDS_FILE, Kind, coach


def kinds(text, language, **kwargs):
    return [(finding.kind, finding.words) for finding in coach(text, language, **kwargs)]


CLEAR_DUTCH = [
    "Je vraagt binnen een week na oplevering feedback aan de klant",
    "Je meldt binnen een dag aan je teamleider wanneer een deadline in gevaar komt.",
    "Je legt afspraken uit een overleg binnen een werkdag vast in het gedeelde dossier.",
    "Je laat werk dat naar een klant gaat eerst door een collega controleren.",
    "Je belt de klant binnen twee werkdagen terug met een antwoord of een datum.",
    "Je deelt elk kwartaal in het teamoverleg iets wat je hebt geleerd.",
    "Je stuurt na elk klantgesprek dezelfde dag een samenvatting van de afspraken.",
    "Je archiveert elk afgesloten dossier binnen een week.",
    "Je stelt in het teamoverleg één verbetering voor, met wat die kost en oplevert.",
    "Je beantwoordt interne vragen binnen een werkdag, of zegt wanneer je antwoord komt.",
    "Daan belde de klant op dinsdag terug en legde uit waarom de levering later komt.",
]

CLEAR_ENGLISH = [
    "You ask the customer for feedback within a week of delivery.",
    "You tell your manager within a day when an agreed deadline is at risk.",
    "You record the agreements of a meeting in the shared file within one working day.",
    "You have a colleague check work that goes to a customer before you send it.",
    "You call the customer back within two working days with an answer or a date.",
    "Each quarter you share something you learned in the team meeting.",
    "You summarise the agreements by email after each customer call.",
    "You archive every closed file within a week.",
    "You propose one improvement per quarter, with what it costs and brings.",
    "On Tuesday Sanne summarised the three agreements; the client confirmed them by email.",
]


@pytest.mark.parametrize("text", CLEAR_DUTCH)
def test_clear_dutch_behaviour_is_not_flagged(text):
    assert coach(text, "nl") == []


@pytest.mark.parametrize("text", CLEAR_ENGLISH)
def test_clear_english_behaviour_is_not_flagged(text):
    assert coach(text, "en") == []


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("Is proactief", Kind.CONTAINER, ("proactief",)),
        ("Je bent een proactieve collega.", Kind.CONTAINER, ("proactieve",)),
        ("Ondernemend en flexibel", Kind.CONTAINER, ("Ondernemend",)),
        ("Je bent flexibel inzetbaar.", Kind.CONTAINER, ("flexibel",)),
        ("Werkt klantgericht", Kind.CONTAINER, ("klantgericht",)),
        ("Je werkt klant-gericht.", Kind.CONTAINER, ("klant-gericht",)),
        ("Je bent resultaatgericht.", Kind.CONTAINER, ("resultaatgericht",)),
        ("Een echte teamspeler", Kind.CONTAINER, ("teamspeler",)),
        ("Stressbestendig", Kind.CONTAINER, ("Stressbestendig",)),
        ("Werkt zelfstandig", Kind.CONTAINER, ("zelfstandig",)),
        ("Je bent communicatief vaardig.", Kind.CONTAINER, ("communicatief vaardig",)),
        ("Je bent betrokken bij het team.", Kind.CONTAINER, ("betrokken",)),
        ("Gedraagt zich professioneel", Kind.CONTAINER, ("professioneel",)),
        ("Je meldt altijd op tijd je uren.", Kind.ABSOLUTE, ("altijd",)),
        ("Hij komt nooit op tijd.", Kind.ABSOLUTE, ("nooit",)),
        ("Ze is lui.", Kind.JUDGEMENT, ("lui",)),
        ("Daan heeft een negatieve houding.", Kind.JUDGEMENT, ("negatieve",)),
        ("Hij is arrogant tegen klanten.", Kind.JUDGEMENT, ("arrogant",)),
    ],
)
def test_vague_dutch_is_flagged_with_the_offending_words(text, kind, words):
    assert (kind, words) in kinds(text, "nl")


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("Is proactive", Kind.CONTAINER, ("proactive",)),
        ("An entrepreneurial attitude", Kind.CONTAINER, ("entrepreneurial",)),
        ("Is a team player", Kind.CONTAINER, ("team player",)),
        ("Flexible and customer-focused", Kind.CONTAINER, ("customer-focused",)),
        ("Result-oriented", Kind.CONTAINER, ("Result-oriented",)),
        ("A real go-getter", Kind.CONTAINER, ("go-getter",)),
        ("Has an ownership mindset", Kind.CONTAINER, ("ownership mindset",)),
        ("You always answer within a day.", Kind.ABSOLUTE, ("always",)),
        ("He never asks for help.", Kind.ABSOLUTE, ("never",)),
        ("She is lazy.", Kind.JUDGEMENT, ("lazy",)),
        ("He has a bad attitude.", Kind.JUDGEMENT, ("bad attitude",)),
    ],
)
def test_vague_english_is_flagged_with_the_offending_words(text, kind, words):
    assert (kind, words) in kinds(text, "en")


@pytest.mark.parametrize(
    ("text", "language"),
    [("Is proactief", "nl"), ("Wees flexibel", "nl"), ("Is a team player", "en"), ("Be proactive", "en")],
)
def test_a_text_without_an_action_gets_the_no_action_finding(text, language):
    assert (Kind.NO_ACTION, ()) in kinds(text, language)


def test_the_offsets_point_at_the_words():
    text = "Je bent een echte teamspeler en altijd flexibel"
    for finding in coach(text, "nl"):
        if finding.start is not None:
            assert text[finding.start : finding.end] == finding.words[0]


def test_findings_come_in_text_order_and_overlaps_count_once():
    findings = coach("He is lazy and has a bad attitude", "en")
    assert [f.words for f in findings if f.start is not None] == [("lazy",), ("bad attitude",)]


def test_matching_ignores_case_and_word_boundaries_hold():
    assert (Kind.CONTAINER, ("PROACTIEF",)) in kinds("PROACTIEF", "nl")
    # "betrokkenen" (the people involved) is not the adjective "betrokken".
    assert not [f for f in coach("Je informeert alle betrokkenen dezelfde dag.", "nl") if f.kind == Kind.CONTAINER]


def test_the_hint_is_in_the_interface_language_not_the_texts():
    with translation.override("en"):
        english = coach("Is proactief", "nl")[0].hint
    with translation.override("nl"):
        dutch = coach("Is proactief", "nl")[0].hint
    assert english.startswith("Describe what someone does")
    assert dutch.startswith("Beschrijf wat iemand doet")


def test_an_observation_gets_an_observation_hint_when_no_action_is_described():
    with translation.override("en"):
        findings = coach("Heeft een slechte instelling.", "nl", purpose="observation")
    finding = [f for f in findings if f.kind == Kind.NO_ACTION]
    assert finding and "situation" in finding[0].hint


def test_empty_text_has_no_findings():
    assert coach("", "nl") == [] and coach("   \n", "en") == []


def test_the_word_list_is_well_formed():
    with WORDS_FILE.open("rb") as file:
        raw = tomllib.load(file)
    seen = set()
    for entry in raw["entry"]:
        assert entry["kind"] in {"container", "absolute", "judgement"}
        assert entry["language"] in {"nl", "en"}
        assert entry["hint"]["nl"].strip() and entry["hint"]["en"].strip()
        for term in entry["terms"]:
            key = (entry["language"], entry["kind"], term.lower())
            assert key not in seen, f"duplicate term {term!r}"
            seen.add(key)
    assert raw["actions"]["nl"] and raw["actions"]["en"]


@given(text=st.text(max_size=300), language=st.sampled_from(["nl", "en", "de", ""]))
def test_coach_never_raises_and_offsets_stay_inside_the_text(text, language):
    for finding in coach(text, language):
        if finding.start is not None:
            assert 0 <= finding.start < finding.end <= len(text)
