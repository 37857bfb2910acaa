"""The conversation guide per moment kind: what the manager does in it, and what the conversation is not for.

Data, in Dutch and English side by side, not translations of code strings: the
texts are long, written for one purpose, and read on the conversation sheet
(reviews.views_sheet). The manager and HR read the whole guide; the employee
reads what the conversation is not for (what it is for is the moment's own
purpose, which HR writes). Every guide ends with the same advice on naming
behaviour without judging (``NAMING_BEHAVIOUR``).
"""

from dataclasses import dataclass

from django.utils.translation import get_language

from cycles.models import MomentKind

# How to name behaviour without judging: the same in every conversation.
NAMING_BEHAVIOUR = {
    "nl": [
        "Beschrijf wat je zag of hoorde: de situatie, wat de medewerker deed, en het effect daarvan.",
        "Noem één concreet moment in plaats van ‘altijd’ of ‘nooit’.",
        "Vermijd oordelen over de persoon (‘lui’, ‘houding’, ‘niet betrokken’): praat over gedrag dat je kunt "
        "aanwijzen.",
        "Vraag eerst hoe de medewerker het zelf zag, voordat je je eigen beeld geeft.",
    ],
    "en": [
        "Describe what you saw or heard: the situation, what the person did, and its effect.",
        "Name one specific moment instead of ‘always’ or ‘never’.",
        "Avoid verdicts about the person (‘lazy’, ‘attitude’, ‘not committed’): talk about behaviour you can point to.",
        "Ask first how the person saw it themselves, before you give your own view.",
    ],
}

GUIDES = {
    MomentKind.PLANNING: {
        "manager": {
            "nl": [
                "Loop samen de verwachtingen door die voor dit jaar gelden, en wat elk ervan weegt.",
                "Vraag per verwachting hoe het gedrag er in het werk van deze medewerker uitziet.",
                "Spreek af wat de medewerker wil leren en wat daarvoor nodig is.",
                "Schrijf de afspraken op, zodat jullie met dezelfde lijst weggaan.",
            ],
            "en": [
                "Go through the expectations that apply this year together, and what each of them weighs.",
                "Ask, for each expectation, what the behaviour looks like in this person's work.",
                "Agree what the person wants to learn and what that takes.",
                "Write the agreements down, so that you both leave with the same list.",
            ],
        },
        "not_for": {
            "nl": [
                "Een beoordeling: er wordt niets beoordeeld.",
                "Nieuwe verwachtingen bedenken die niet gepubliceerd zijn.",
                "Het vorige jaar opnieuw bespreken.",
            ],
            "en": [
                "A review: nothing is rated.",
                "Making up expectations that have not been published.",
                "Going over last year again.",
            ],
        },
    },
    MomentKind.PROGRESS: {
        "manager": {
            "nl": [
                "Bespreek de observaties sinds het vorige gesprek, met situatie, gedrag en effect.",
                "Noem wat goed ging even concreet als wat nog niet lukte.",
                "Vraag wat de medewerker nodig heeft en stuur samen bij.",
                "Kijk naar de afspraken van het vorige gesprek: wat is ervan gekomen?",
            ],
            "en": [
                "Discuss the observations since the previous conversation, with situation, behaviour and effect.",
                "Name what went well as specifically as what did not work yet.",
                "Ask what the person needs and adjust together.",
                "Look at the previous conversation's agreements: what came of them?",
            ],
        },
        "not_for": {
            "nl": [
                "Een oordeel of een cijfer: er wordt niets beoordeeld.",
                "Verrassingen: wat hier ter sprake komt, is al eerder gezien en gedeeld.",
                "Salaris of beloning.",
            ],
            "en": [
                "A verdict or a score: nothing is rated.",
                "Surprises: what comes up here has been seen and shared before.",
                "Salary or pay.",
            ],
        },
    },
    MomentKind.ASSESSMENT: {
        "manager": {
            "nl": [
                "Bespreek de beoordeling per verwachting, elk met de observaties die haar onderbouwen.",
                "Leg uit hoe het eindoordeel volgt uit de gepubliceerde regel, en waarom als je ervan afwijkt.",
                "Laat zien wat het eindoordeel betekent voor salaris en groei.",
                "Geef ruimte voor de reactie van de medewerker; tekenen is ‘gezien en besproken’, niet ‘eens’.",
            ],
            "en": [
                "Discuss the rating of each expectation, each with the observations that support it.",
                "Explain how the outcome follows from the published rule, and why if you deviate from it.",
                "Show what the outcome means for pay and growth.",
                "Leave room for the person's reaction; signing means ‘seen and discussed’, not ‘agreed’.",
            ],
        },
        "not_for": {
            "nl": [
                "Nieuw bewijs: wat niet eerder is gezien en gedeeld, telt hier niet mee.",
                "Gedrag dat niet bij een verwachting hoort, of wat expliciet niet meetelt.",
                "Vergelijken met collega's.",
            ],
            "en": [
                "New evidence: what was not seen and shared before does not count here.",
                "Behaviour outside the expectations, or what explicitly does not count.",
                "Comparing with colleagues.",
            ],
        },
    },
    MomentKind.DEVELOPMENT: {
        "manager": {
            "nl": [
                "Vraag waar de medewerker naartoe wil, op korte en langere termijn.",
                "Koppel ontwikkelwensen aan gedrag dat je kunt zien.",
                "Spreek een eerste stap af, met wie erbij helpt en wanneer jullie erop terugkomen.",
            ],
            "en": [
                "Ask where the person wants to go, in the short and the longer term.",
                "Link wishes to develop to behaviour you can see.",
                "Agree a first step, who helps with it, and when you come back to it.",
            ],
        },
        "not_for": {
            "nl": ["Een beoordeling: er wordt niets beoordeeld.", "Salaris of beloning."],
            "en": ["A review: nothing is rated.", "Salary or pay."],
        },
    },
    MomentKind.CUSTOM: {
        "manager": {
            "nl": [
                "Begin met het doel van dit moment, zoals hierboven beschreven.",
                "Bespreek gedrag aan de hand van observaties, niet van indrukken.",
                "Schrijf de afspraken op.",
            ],
            "en": [
                "Start from this moment's purpose, as written above.",
                "Discuss behaviour from observations, not from impressions.",
                "Write the agreements down.",
            ],
        },
        "not_for": {
            "nl": ["Een beoordeling, tenzij dit moment er een oplevert."],
            "en": ["A review, unless this moment produces one."],
        },
    },
}


@dataclass(frozen=True)
class Guide:
    """One moment kind's guide in one language."""

    manager: list[str]
    naming_behaviour: list[str]
    not_for: list[str]


def guide_for(kind: str, language: str | None = None) -> Guide:
    """The guide of moment ``kind`` in ``language`` (the active one by default; Dutch unless English)."""
    language = "en" if (language or get_language() or "nl")[:2] == "en" else "nl"
    data = GUIDES.get(kind, GUIDES[MomentKind.CUSTOM])
    return Guide(
        manager=list(data["manager"][language]),
        naming_behaviour=list(NAMING_BEHAVIOUR[language]),
        not_for=list(data["not_for"][language]),
    )
