"""The built-in cycle template: three moments with their purpose written out, in Dutch and English."""

from datetime import date, timedelta

from .models import MomentKind

TEMPLATE = [
    {
        "kind": MomentKind.PLANNING,
        "name_nl": "Planningsgesprek",
        "name_en": "Planning conversation",
        "purpose_nl": "Samen afspreken welke verwachtingen dit jaar voor je gelden, wat weegt, en wat je wilt "
        "ontwikkelen. Je gaat weg met dezelfde lijst als je leidinggevende.",
        "purpose_en": "Agree together which expectations apply to you this year, what weighs, and what you want "
        "to develop. You leave with the same list as your manager.",
        "preparation_employee_nl": "Lees ‘Mijn verwachtingen’. Noteer per verwachting een vraag of een voorbeeld, "
        "en één ding dat je dit jaar wilt leren.",
        "preparation_employee_en": "Read ‘What is expected of me’. Note a question or an example for each "
        "expectation, and one thing you want to learn this year.",
        "preparation_manager_nl": "Bekijk welke verwachtingen voor deze medewerker gelden en bedenk bij elke "
        "verwachting hoe je het gedrag gaat zien.",
        "preparation_manager_en": "Check which expectations apply to this person and think, for each, how you "
        "will see the behaviour.",
        "produces_rating": False,
        "asks_reflection": True,
        "reflection_questions_nl": "Waar ben je het afgelopen jaar trots op?\nWelke verwachting vind je het "
        "lastigst, en waarom?\nWat wil je dit jaar leren, en wat heb je daarvoor nodig?",
        "reflection_questions_en": "What are you proud of from the past year?\nWhich expectation do you find "
        "hardest, and why?\nWhat do you want to learn this year, and what do you need for it?",
        "window": (0.0, 0.15),
    },
    {
        "kind": MomentKind.PROGRESS,
        "name_nl": "Voortgangsgesprek",
        "name_en": "Progress conversation",
        "purpose_nl": "Feedback op het gedrag dat jullie zagen, met voorbeelden, en bijsturen waar nodig. Geen "
        "oordeel: er wordt niets beoordeeld.",
        "purpose_en": "Feedback on the behaviour you both saw, with examples, and adjusting where needed. No "
        "verdict: nothing is rated.",
        "preparation_employee_nl": "Zoek per verwachting een moment waarop het goed ging en een moment waarop het "
        "nog niet lukte.",
        "preparation_employee_en": "For each expectation, find one moment it went well and one moment it did not "
        "work yet.",
        "preparation_manager_nl": "Neem je observaties van de afgelopen maanden mee, met situatie, gedrag en effect.",
        "preparation_manager_en": "Bring your observations of the past months, with situation, behaviour and effect.",
        "produces_rating": False,
        "asks_reflection": True,
        "reflection_questions_nl": "Wanneer liet je het gedrag zien dat van je verwacht wordt? Geef een "
        "voorbeeld.\nWanneer lukte het nog niet, en wat deed je toen?\nWat heb je van je leidinggevende nodig?",
        "reflection_questions_en": "When did you show the behaviour expected of you? Give an example.\nWhen did "
        "it not work yet, and what did you do then?\nWhat do you need from your manager?",
        "window": (0.45, 0.6),
    },
    {
        "kind": MomentKind.ASSESSMENT,
        "name_nl": "Beoordelingsgesprek",
        "name_en": "Assessment conversation",
        "purpose_nl": "De beoordeling per verwachting met onderbouwing, het eindoordeel, en wat dat betekent voor "
        "je salaris en je groei.",
        "purpose_en": "The rating of each expectation with its evidence, the outcome, and what it means for your "
        "pay and growth.",
        "preparation_employee_nl": "Lees je observaties terug en schrijf je zelfreflectie per verwachting.",
        "preparation_employee_en": "Read back your observations and write your self-reflection per expectation.",
        "preparation_manager_nl": "Onderbouw elke beoordeling met observaties en lees wat elk eindoordeel betekent "
        "in de beloningstabel.",
        "preparation_manager_en": "Support every rating with observations and read what each outcome means in "
        "the pay table.",
        "produces_rating": True,
        "asks_reflection": True,
        "reflection_questions_nl": "Kies per verwachting een voorbeeld van wat je deed en wat het effect was."
        "\nWaar ben je het meest tevreden over?\nWat wil je volgend jaar anders doen?",
        "reflection_questions_en": "For each expectation, pick an example of what you did and what its effect "
        "was.\nWhat are you most satisfied with?\nWhat do you want to do differently next year?",
        "window": (0.85, 1.0),
    },
]


def template_moments(starts_on: date, ends_on: date) -> list[dict]:
    """The template's moments with windows placed at the same share of any cycle's length."""
    days = (ends_on - starts_on).days
    moments = []
    for spec in TEMPLATE:
        start, end = spec["window"]
        fields = {key: value for key, value in spec.items() if key != "window"}
        fields["opens_on"] = starts_on + timedelta(days=round(days * start))
        fields["closes_on"] = starts_on + timedelta(days=round(days * end))
        moments.append(fields)
    return moments
