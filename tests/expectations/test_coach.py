"""The language coach on real phrases in Dutch and English: a pure function, no database."""

import re
import tomllib
import unicodedata

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from expectations import coach as coach_module
from expectations.coach import WORDS_FILE, Finding, Kind, Purpose, coach, key

CONTAINER, NO_ACTION, ABSOLUTE, JUDGEMENT = Kind.CONTAINER, Kind.NO_ACTION, Kind.ABSOLUTE, Kind.JUDGEMENT


def said(text, language, **kwargs):
    """What the coach says, as (kind, words) pairs in the order it says them."""
    return [(finding.kind, finding.words) for finding in coach(text, language, **kwargs)]


def raw_words():
    with WORDS_FILE.open("rb") as file:
        return tomllib.load(file)


def entry_with(term):
    """The data file's entry that lists ``term``."""
    data = raw_words()
    return next(
        entry for kind in ("container", "judgement", "absolute") for entry in data[kind] if term in entry.get("nl", [])
    )


# --- what it must not flag -------------------------------------------------------------------------------------

CLEAR_DUTCH = [
    "Je vraagt binnen een week na oplevering feedback aan de klant",
    "Je meldt binnen een dag aan je teamleider wanneer een deadline in gevaar komt",
    "Je belt een klant die vóór 17.00 uur een bericht achterliet dezelfde dag terug.",
    "Je stuurt het verslag binnen 24 uur naar alle deelnemers.",
    "Je legt een prijswijziging uit aan de klant voordat je de factuur verstuurt.",
    "Je deelt elke maand in het teamoverleg één les uit een project.",
    "Voor elke release test je de wijziging op de testomgeving en schrijf je op wat je hebt gecontroleerd.",
    "Je plant op maandag je werk voor de week en bespreekt het met je teamleider.",
    "Je beantwoordt e-mails van klanten binnen twee werkdagen.",
    "Je presenteert de kwartaalcijfers aan het MT en noemt de drie grootste risico's.",
    "In de stand-up noem je wat je tegenhoudt.",
    "Je informeert alle betrokkenen over een wijziging in de planning.",
    "Je houdt de betrokken collega's op de hoogte van de voortgang.",
    "Na een klacht bel je de klant binnen twee werkdagen terug en leg je uit wat je hebt gedaan.",
    "Je archiveert elk afgesloten dossier binnen een week.",
    "Je ruimt aan het eind van de dag je werkplek op.",
    "Daan belde de klant op dinsdag terug en legde uit waarom de levering later komt.",
    "Na een klacht belt hij de klant terug.",
    "Ze vragen de klant na elke oplevering om feedback.",
]

CLEAR_ENGLISH = [
    "You ask the customer for feedback within a week of delivery",
    "You report a risk to your team lead within one working day.",
    "You call back every customer who left a message before 17:00 the same day.",
    "You send the meeting notes to all participants within 24 hours.",
    "You explain the price change to the customer before you send the invoice.",
    "When a deadline is at risk, you tell your manager the new date and the reason.",
    "You share one lesson learned in the team meeting every month.",
    "Before each release you test the change on the staging server and write down what you checked.",
    "You plan your work for the week on Monday and discuss it with your team lead.",
    "You answer customer emails within two working days.",
    "You present the quarterly figures to the board and name the three largest risks.",
    "In the weekly stand-up you name what blocks you.",
    "You have a colleague check work that goes to a customer before you send it.",
    "You archive every closed file within a week.",
    "You tidy your desk at the end of the day.",
    "On Tuesday Sanne summarised the three agreements; the client confirmed them by email.",
]


@pytest.mark.parametrize("text", CLEAR_DUTCH)
def test_clear_dutch_behaviour_is_not_flagged(text):
    assert coach(text, "nl") == []
    assert coach(text, "nl", purpose="observation") == []


@pytest.mark.parametrize("text", CLEAR_ENGLISH)
def test_clear_english_behaviour_is_not_flagged(text):
    assert coach(text, "en") == []
    assert coach(text, "en", purpose="observation") == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Je krijgt steeds meer klanten en deelt negatieve feedback binnen een dag.", "nl"),
        ("Je spreekt flexibele werktijden af met je teamleider.", "nl"),
        ("You give negative feedback within a day and discuss its negative impact.", "en"),
        ("You agree flexible working hours with your manager.", "en"),
    ],
)
def test_phrases_that_only_look_like_a_listed_word_are_not_flagged(text, language):
    assert coach(text, language) == []


def test_a_title_without_a_verb_or_a_vague_word_is_not_flagged():
    assert coach("Feedback na oplevering", "nl") == []
    assert coach("Feedback after delivery", "en") == []


# --- what it must flag -----------------------------------------------------------------------------------------

DUTCH = [
    ("Je bent proactief", [(NO_ACTION, ("bent",)), (CONTAINER, ("proactief",))]),
    ("Is proactief", [(NO_ACTION, ("Is",)), (CONTAINER, ("proactief",))]),
    ("Je bent een proactieve collega.", [(NO_ACTION, ("bent",)), (CONTAINER, ("proactieve",))]),
    ("Ondernemend en klantgericht", [(CONTAINER, ("Ondernemend",)), (CONTAINER, ("klantgericht",))]),
    ("Je werkt flexibel en resultaatgericht.", [(CONTAINER, ("flexibel",)), (CONTAINER, ("resultaatgericht",))]),
    ("Een echte teamspeler", [(CONTAINER, ("teamspeler",))]),
    (
        "Je bent stressbestendig en zelfstandig.",
        [(NO_ACTION, ("bent",)), (CONTAINER, ("stressbestendig",)), (CONTAINER, ("zelfstandig",))],
    ),
    ("Je bent communicatief vaardig", [(NO_ACTION, ("bent",)), (CONTAINER, ("communicatief vaardig",))]),
    ("Je toont betrokkenheid bij het team", [(NO_ACTION, ("toont",)), (CONTAINER, ("betrokkenheid",))]),
    ("Een professionele uitstraling", [(CONTAINER, ("professionele",))]),
    ("Je bent een teamplayer", [(NO_ACTION, ("bent",)), (CONTAINER, ("teamplayer",))]),
    ("Je toont eigenaarschap", [(NO_ACTION, ("toont",)), (CONTAINER, ("toont eigenaarschap",))]),
    ("Wees flexibel", [(NO_ACTION, ("Wees",)), (CONTAINER, ("flexibel",))]),
    ("Je bent altijd op tijd", [(NO_ACTION, ("bent",)), (ABSOLUTE, ("altijd",))]),
    ("Hij komt nooit op tijd.", [(ABSOLUTE, ("nooit",))]),
    ("Je bent steeds bereikbaar", [(NO_ACTION, ("bent",)), (ABSOLUTE, ("steeds",))]),
    ("Telkens als er een deadline is, raakt ze in paniek.", [(ABSOLUTE, ("Telkens",))]),
    (
        "Ze is lui en ongeïnteresseerd",
        [(NO_ACTION, ("is",)), (JUDGEMENT, ("lui",)), (JUDGEMENT, ("ongeïnteresseerd",))],
    ),
    (
        "Hij heeft een negatieve houding",
        [(NO_ACTION, ("heeft",)), (JUDGEMENT, ("negatieve",)), (JUDGEMENT, ("houding",))],
    ),
    ("Jan reageerde arrogant op de klant.", [(JUDGEMENT, ("arrogant",))]),
    (
        "Elke keer als ik iets vraag, reageert hij ongemotiveerd.",
        [(ABSOLUTE, ("Elke keer",)), (JUDGEMENT, ("ongemotiveerd",))],
    ),
    ("Een klant-gerichte houding", [(CONTAINER, ("klant-gerichte",)), (JUDGEMENT, ("houding",))]),
    ("Hij is geen teamspeler", [(NO_ACTION, ("is",)), (JUDGEMENT, ("geen teamspeler",))]),
    ("Je gaat proactief om met klantvragen.", [(CONTAINER, ("proactief",))]),
]

ENGLISH = [
    ("Is a team player", [(NO_ACTION, ("Is",)), (CONTAINER, ("team player",))]),
    ("Be proactive", [(NO_ACTION, ("Be",)), (CONTAINER, ("proactive",))]),
    (
        "You are entrepreneurial and customer-focused",
        [(NO_ACTION, ("are",)), (CONTAINER, ("entrepreneurial",)), (CONTAINER, ("customer-focused",))],
    ),
    ("Customer focused and result-oriented", [(CONTAINER, ("Customer focused",)), (CONTAINER, ("result-oriented",))]),
    ("A go-getter with an ownership mindset", [(CONTAINER, ("go-getter",)), (CONTAINER, ("ownership mindset",))]),
    ("You are flexible", [(NO_ACTION, ("are",)), (CONTAINER, ("flexible",))]),
    ("You take ownership", [(CONTAINER, ("take ownership",))]),
    ("He is lazy", [(NO_ACTION, ("is",)), (JUDGEMENT, ("lazy",))]),
    (
        "She always has a negative attitude",
        [(NO_ACTION, ("has",)), (ABSOLUTE, ("always",)), (JUDGEMENT, ("negative",)), (JUDGEMENT, ("attitude",))],
    ),
    ("He never answers emails.", [(ABSOLUTE, ("never",))]),
    ("Tom is not a team player", [(NO_ACTION, ("is",)), (JUDGEMENT, ("not a team player",))]),
    ("Every time we meet, she is sloppy.", [(ABSOLUTE, ("Every time",)), (JUDGEMENT, ("sloppy",))]),
    ("You constantly interrupt customers.", [(ABSOLUTE, ("constantly",))]),
    ("An entrepreneurial attitude", [(CONTAINER, ("entrepreneurial",)), (JUDGEMENT, ("attitude",))]),
    ("He is difficult to work with", [(NO_ACTION, ("is",)), (JUDGEMENT, ("difficult to work with",))]),
]


@pytest.mark.parametrize(("text", "expected"), DUTCH)
def test_vague_dutch_is_flagged_with_the_right_kind_and_words(text, expected):
    assert said(text, "nl") == expected


@pytest.mark.parametrize(("text", "expected"), ENGLISH)
def test_vague_english_is_flagged_with_the_right_kind_and_words(text, expected):
    assert said(text, "en") == expected


def test_enough_real_phrases_are_covered():
    assert len(DUTCH) >= 15 and len(ENGLISH) >= 10
    assert len(CLEAR_DUTCH) >= 10 and len(CLEAR_ENGLISH) >= 10


def test_judgements_and_absolutes_are_flagged_in_observations_too():
    assert said("Hij is altijd lui.", "nl", purpose="observation") == [
        (NO_ACTION, ("is",)),
        (ABSOLUTE, ("altijd",)),
        (JUDGEMENT, ("lui",)),
    ]
    assert said("She never listens and has a bad attitude.", "en", purpose=Purpose.OBSERVATION) == [
        (ABSOLUTE, ("never",)),
        (JUDGEMENT, ("attitude",)),
    ]


def test_praise_that_sums_up_is_flagged_like_a_container_word_with_a_hint_for_observations():
    assert said("Geweldig gedaan, een uitstekende presentatie!", "nl", purpose=Purpose.OBSERVATION) == [
        (CONTAINER, ("Geweldig", "uitstekende")),
    ]
    assert said("Great job on the release: excellent work.", "en", purpose=Purpose.OBSERVATION) == [
        (CONTAINER, ("Great job", "excellent")),
    ]
    with translation.override("en"):
        [finding] = coach("Well done!", "en", purpose=Purpose.OBSERVATION)
    assert finding.hint.startswith("Write down what the person did that you thought was so good")
    # A longer listed phrase keeps its own entry and hint.
    assert said("An excellent communicator.", "en") == [(CONTAINER, ("excellent communicator",))]


# --- matching ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "words"),
    [
        ("PROACTIEF", "nl", ("PROACTIEF",)),
        ("Klantgericht", "nl", ("Klantgericht",)),
        ("klant-gericht", "nl", ("klant-gericht",)),
        ("klant gericht", "nl", ("klant gericht",)),
        ("Pro-actief", "nl", ("Pro-actief",)),
        ("Team Player", "en", ("Team Player",)),
        ("team-player", "en", ("team-player",)),
        ("teamplayer", "en", ("teamplayer",)),
        ("Customer focused", "en", ("Customer focused",)),
        ("CUSTOMER-FOCUSED", "en", ("CUSTOMER-FOCUSED",)),
        ("go getter", "en", ("go getter",)),
    ],
)
def test_matching_ignores_case_and_hyphen_or_space_variants(text, language, words):
    assert said(text, language) == [(CONTAINER, words)]


def test_multi_word_entries_match_as_one_and_the_longest_match_wins():
    assert said("Communicatief vaardig en gedreven", "nl") == [
        (CONTAINER, ("Communicatief vaardig",)),
        (CONTAINER, ("gedreven",)),
    ]
    # "not a team player" is a judgement; the container "team player" inside it is not flagged again.
    assert [kind for kind, _words in said("Not a team player", "en")] == [JUDGEMENT]
    assert said("a communicatief\nvaardige collega", "nl") == [(CONTAINER, ("communicatief\nvaardige",))]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Je informeert de betrokkenen.", "nl"),  # the people involved, not the adjective "betrokken"
        ("Je spreekt luid en duidelijk.", "nl"),  # "luid" is not "lui"
        ("Je meldt elke afwijking bij de kwaliteitsmanager.", "nl"),  # no "elke keer"
        ("You flag every deviation to the quality manager.", "en"),  # no "every time"
        ("You list the professionalisation steps in the plan.", "en"),  # "professionalisation" is not "professional"
    ],
)
def test_word_boundaries_hold(text, language):
    assert said(text, language) == []


def test_a_negative_word_is_a_judgement_of_its_own_not_the_container_it_resembles():
    assert said("Je bent onprofessioneel.", "nl") == [(NO_ACTION, ("bent",)), (JUDGEMENT, ("onprofessioneel",))]
    assert said("You are unreliable.", "en") == [(NO_ACTION, ("are",)), (JUDGEMENT, ("unreliable",))]


def test_accents_are_optional_and_may_be_typed_decomposed():
    for spelling in ("ongeïnteresseerd", "ongeinteresseerd", unicodedata.normalize("NFD", "ongeïnteresseerd")):
        text = f"Ze is {spelling}."
        (finding,) = [f for f in coach(text, "nl") if f.kind == JUDGEMENT]
        assert finding.words == (spelling,)
        assert text[finding.start : finding.end] == spelling


def test_one_finding_per_entry_with_every_distinct_form_and_the_first_offsets():
    text = "Proactief is goed; wees proactief, want proactieve mensen melden risico's."
    (finding,) = [f for f in coach(text, "nl") if f.kind == CONTAINER]
    assert finding.words == ("Proactief", "proactieve")
    assert (finding.start, finding.end) == (0, len("Proactief"))


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Je bent een echte teamspeler en altijd flexibel, maar soms lui.", "nl"),
        ("Hij heeft een negatieve houding en is nooit op tijd.", "nl"),
        ("  She is a go-getter with an ownership mindset, but always late and sloppy.", "en"),
    ],
)
def test_the_offsets_point_at_the_words(text, language):
    findings = coach(text, language)
    located = [f for f in findings if f.kind != NO_ACTION]
    assert located
    for finding in located:
        assert text[finding.start : finding.end] == finding.words[0]
    starts = [f.start for f in located]
    assert starts == sorted(starts)


def test_the_no_action_finding_comes_first_without_offsets():
    first, *rest = coach("Is proactief en altijd klantgericht", "nl")
    assert (first.kind, first.words, first.start, first.end) == (NO_ACTION, ("Is",), None, None)
    assert [f.kind for f in rest] == [CONTAINER, ABSOLUTE, CONTAINER]


def test_a_finding_is_a_frozen_value():
    finding = coach("Be proactive", "en")[0]
    assert isinstance(finding, Finding)
    with pytest.raises(AttributeError):
        finding.kind = CONTAINER
    assert finding == coach("Be proactive", "en")[0]


# --- language of the reasons and hints --------------------------------------------------------------------------


def test_the_hint_is_in_the_interface_language_not_the_texts():
    with translation.override("en"):
        english = said_hints("Je bent proactief", "nl")
    with translation.override("nl"):
        dutch = said_hints("Je bent proactief", "nl")
    entry = entry_with("pro-actief")
    assert english[CONTAINER] == entry["hint"]["en"]
    assert dutch[CONTAINER] == (
        "Beschrijf wat iemand doet vóórdat erom gevraagd wordt, bijvoorbeeld: "
        "'Je meldt een risico binnen een dag bij je teamleider.'"
    )
    assert english[NO_ACTION].startswith("Describe something you could see or hear someone do")
    assert dutch[NO_ACTION].startswith("Beschrijf iets wat je iemand kunt zien of horen doen")


def test_english_text_gets_dutch_hints_for_a_dutch_reader():
    with translation.override("nl"):
        hints = said_hints("Be proactive", "en")
    assert hints[CONTAINER].startswith("Beschrijf wat iemand doet")


def test_an_interface_language_without_hints_falls_back_to_english():
    with translation.override("de"):
        hints = said_hints("Is proactief", "nl")
    assert hints[CONTAINER].startswith("Describe what someone does")


def test_an_observation_gets_hints_written_for_observations():
    with translation.override("nl"):
        expectation = said_hints("Hij is lui.", "nl")
        observation = said_hints("Hij is lui.", "nl", purpose="observation")
    assert expectation[JUDGEMENT].startswith("Beschrijf het gedrag dat je verwacht")
    assert observation[JUDGEMENT].startswith("Beschrijf wat de persoon deed, in welke situatie, en het effect")
    assert observation[NO_ACTION].startswith("Schrijf op wat de persoon deed")
    # A container entry without an observation hint keeps its one hint.
    assert (
        said_hints("Hij is flexibel.", "nl", purpose="observation")[CONTAINER]
        == said_hints("Hij is flexibel.", "nl")[CONTAINER]
    )


def test_reasons_are_per_kind_and_purpose_in_english_source():
    with translation.override("en"):
        expectation = {f.kind: f.reason for f in coach("Hij is altijd lui en flexibel.", "nl")}
        observation = {f.kind: f.reason for f in coach("Hij is altijd lui en flexibel.", "nl", purpose="observation")}
    assert set(expectation) == {NO_ACTION, ABSOLUTE, JUDGEMENT, CONTAINER}
    assert len(set(expectation.values())) == 4
    assert expectation[CONTAINER].startswith("A container word")
    assert observation[NO_ACTION].startswith("This records no action that you saw or heard")
    assert all(expectation[kind] != observation[kind] for kind in expectation)


def test_reasons_are_translated_when_the_coach_runs(monkeypatch):
    monkeypatch.setattr(coach_module, "gettext", lambda message: f"[vertaald] {message}")
    assert all(f.reason.startswith("[vertaald] ") for f in coach("Is proactief", "nl"))


def said_hints(text, language, **kwargs):
    return {finding.kind: finding.hint for finding in coach(text, language, **kwargs)}


# --- input handling ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t ", None])
def test_empty_text_has_no_findings(text):
    assert coach(text, "nl") == [] and coach(text, "en") == []


def test_a_regional_language_code_reads_as_its_language():
    assert said("Be proactive", "en-GB") == said("Be proactive", "en")


@pytest.mark.parametrize(("language", "purpose"), [("de", "expectation"), ("", "expectation"), ("nl", "review")])
def test_an_unknown_language_or_purpose_is_a_programming_error(language, purpose):
    with pytest.raises(ValueError):
        coach("Is proactief", language, purpose=purpose)


# --- the data file ----------------------------------------------------------------------------------------------


def test_the_word_list_is_well_formed():
    data = raw_words()
    seen = {"nl": {}, "en": {}}
    for language in ("nl", "en"):
        for phrase in data["ignore"][language]:
            assert key(phrase) not in seen[language], f"duplicate ignore phrase {phrase!r}"
            seen[language][key(phrase)] = "ignore"
    for kind in ("container", "judgement", "absolute"):
        assert data[kind], f"no {kind} entries"
        for entry in data[kind]:
            assert set(entry) <= {"nl", "en", "hint", "hint_observation"}, entry
            assert entry.get("nl") or entry.get("en"), entry
            for hints in [entry["hint"], *([entry["hint_observation"]] if "hint_observation" in entry else [])]:
                assert set(hints) == {"nl", "en"}, entry
                assert "bijvoorbeeld" in hints["nl"].lower() and "for example" in hints["en"].lower(), hints
            for language in ("nl", "en"):
                for term in entry.get(language, []):
                    assert term == term.strip() and len(key(term)) >= 2, term
                    assert key(term) not in seen[language], f"{term!r} listed twice ({seen[language][key(term)]})"
                    seen[language][key(term)] = kind
    for section in ("hint", "hint_observation"):
        assert set(data["no_action"][section]) == {"nl", "en"}
    for language in ("nl", "en"):
        actions = {form for line in data["actions"][language] for form in line.split()}
        states = {form for line in data["states"][language] for form in line.split()}
        assert actions and states
        assert not actions & states, f"both an action and a state: {actions & states}"
        assert all(re.fullmatch(r"\w+(?:'\w+)?", form) for form in actions | states)


def test_every_term_is_found_by_the_coach_in_its_own_language():
    data = raw_words()
    for kind in ("container", "judgement", "absolute"):
        for entry in data[kind]:
            for language in ("nl", "en"):
                for term in entry.get(language, []):
                    kinds = [k for k, _words in said(f"x {term} x", language)]
                    # A term may sit inside a longer one of another entry only if that is what the coach reports.
                    assert Kind(kind) in kinds, (language, term, kinds)


# --- robustness -------------------------------------------------------------------------------------------------

# Words from the lists, separators and awkward characters (decomposed accents, dotless and dotted i, ligatures).
FRAGMENTS = [
    *"Je je bent is vraagt proactief klant-gericht altijd nooit lui houding ongeïnteresseerd".split(),
    *"You you are ask team-player always lazy go-getter".split(),
    *["team player", "not a team player", "negative feedback", "i\u0308", "-", " ", ",", ".", "'", "’", "\u00ad"],
    *["\n", "İ", "ß", "ﬁ", "👍"],
]


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(st.text(max_size=300), st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=3)).map("".join)),
    language=st.sampled_from(["nl", "en"]),
    purpose=st.sampled_from(["expectation", "observation"]),
)
def test_coach_never_raises_and_offsets_stay_inside_the_text(text, language, purpose):
    findings = coach(text, language, purpose=purpose)
    for finding in findings:
        assert finding.kind in Kind.values and finding.words and finding.reason and finding.hint
        if finding.kind == NO_ACTION:
            assert finding.start is None and finding.end is None
        else:
            assert 0 <= finding.start < finding.end <= len(text)
            assert text[finding.start : finding.end] == finding.words[0]
    located = [f.start for f in findings if f.start is not None]
    assert located == sorted(located)
