"""Demo content for Voorbeeld BV: core values, goals, five sharp expectations, one in sharpening.

Written in Dutch with English text too. ``seed(organization)`` creates what
is missing and returns how many rows it made; running it twice makes none.
"""

from django.utils import timezone

from organizations.models import Employee, Team

from .models import (
    CoreValue,
    Endorsement,
    Expectation,
    ExpectationVersion,
    NotCounted,
    Status,
    StrategicGoal,
    Suggestion,
)

CORE_VALUES = [
    (
        "Samen",
        "Together",
        "We maken werk beter door elkaar te helpen en te bevragen.",
        "We make work better by helping and asking each other.",
    ),
    (
        "Eigenaarschap",
        "Ownership",
        "Je maakt af wat je toezegt, of zegt op tijd dat het niet lukt.",
        "You finish what you promise, or say in time that you can't.",
    ),
    (
        "Vakmanschap",
        "Craft",
        "Wat we opleveren klopt, en we laten dat zien.",
        "What we deliver is right, and we show it.",
    ),
    (
        "Open",
        "Open",
        "Iedereen kan nalezen wat er is afgesproken en waarom.",
        "Anyone can look up what was agreed and why.",
    ),
]

GOALS = [
    (
        "Klanten binnen een werkdag geholpen",
        "Customers helped within one working day",
        "In 2027 beantwoorden we 90 % van de klantvragen binnen een werkdag. Elke vraag die blijft liggen, "
        "kost ons een klant.",
        "In 2027 we answer 90 % of customer questions within one working day. Every question left waiting "
        "costs us a customer.",
    ),
    (
        "Minder herstelwerk na oplevering",
        "Less rework after delivery",
        "We halveren het aantal opleveringen dat we moeten herstellen, door werk eerst te laten controleren.",
        "We halve the number of deliveries we have to fix, by having work checked first.",
    ),
]

# (core value, goal index or None, title nl/en, behaviour nl/en, yes nl/en, not yet nl/en)
EXPECTATIONS = [
    (
        "Samen",
        None,
        "Feedback vragen",
        "Asking for feedback",
        "Je vraagt binnen een week na oplevering van je werk feedback aan de ontvanger, en vertelt in het "
        "teamoverleg wat je ermee doet.",
        "Within a week of delivering your work you ask the recipient for feedback, and tell the team meeting "
        "what you will do with it.",
        "Na het opleveren van een rapport vraag je de ontvanger binnen vijf werkdagen wat beter kan.\n"
        "Je noemt in het teamoverleg één ding dat je op basis van feedback anders doet.",
        "After delivering a report you ask the recipient within five working days what could be better.\n"
        "In the team meeting you name one thing you do differently because of feedback.",
        "Je wacht tot iemand uit zichzelf reageert.\nJe hoort feedback aan, maar er verandert niets.",
        "You wait until someone reacts on their own.\nYou listen to feedback, but nothing changes.",
    ),
    (
        "Eigenaarschap",
        0,
        "Risico's op tijd melden",
        "Reporting risks in time",
        "Je meldt binnen een werkdag aan je leidinggevende wanneer een afgesproken deadline in gevaar komt, "
        "met een voorstel voor wat er wel kan.",
        "Within one working day you tell your manager when an agreed deadline is at risk, with a proposal "
        "for what can be done.",
        "Je stuurt op dinsdag een bericht: 'De offerte wordt vrijdag niet af; maandag lukt wel, of vrijdag "
        "zonder bijlage B.'",
        "On Tuesday you send a message: 'The quote won't be ready Friday; Monday works, or Friday without appendix B.'",
        "De leidinggevende hoort op de dag van de deadline dat het niet af is.",
        "Your manager hears on the day of the deadline that it isn't finished.",
    ),
    (
        "Vakmanschap",
        1,
        "Werk laten controleren",
        "Having work checked",
        "Je laat werk dat naar een klant gaat eerst door een collega controleren en verwerkt de opmerkingen "
        "voordat je het verstuurt.",
        "You have a colleague check work that goes to a customer and process their remarks before you send it.",
        "Je vraagt een collega om je offerte na te lopen en past de twee rekenfouten aan die zij vindt.",
        "You ask a colleague to review your quote and fix the two calculation errors she finds.",
        "Je verstuurt een voorstel direct na het schrijven, zonder dat iemand het heeft gezien.",
        "You send a proposal straight after writing it, without anyone having seen it.",
    ),
    (
        "Open",
        None,
        "Afspraken vastleggen",
        "Recording agreements",
        "Je legt afspraken uit een overleg binnen een werkdag vast in het gedeelde dossier: wie doet wat, en wanneer.",
        "Within one working day you record the agreements of a meeting in the shared file: who does what, and when.",
        "Na het klantoverleg staat dezelfde middag in het dossier: 'Daan stuurt uiterlijk 12 maart de "
        "nieuwe planning.'",
        "The afternoon after the customer meeting the file says: 'Daan sends the new plan by 12 March.'",
        "Afspraken staan alleen in je eigen aantekeningen.",
        "Agreements are only in your own notes.",
    ),
    (
        "Samen",
        None,
        "Kennis delen",
        "Sharing knowledge",
        "Je deelt minstens één keer per kwartaal in het teamoverleg iets wat je hebt geleerd, met een "
        "voorbeeld uit je eigen werk.",
        "At least once a quarter you share something you learned in the team meeting, with an example from "
        "your own work.",
        "Je laat in tien minuten zien hoe je een terugkerende klantvraag nu sneller afhandelt.",
        "In ten minutes you show how you now handle a recurring customer question faster.",
        "Je lost iets slim op, maar niemand anders weet hoe.",
        "You solve something cleverly, but nobody else knows how.",
    ),
]

SHARPENING = (
    "Eigenaarschap",
    0,
    "Klantvragen afronden",
    "Closing customer questions",
    "Je zorgt dat een klantvraag die bij jou binnenkomt binnen twee werkdagen is beantwoord of doorgezet.",
    "You make sure a customer question that reaches you is answered or passed on within two working days.",
    "Je beantwoordt de vraag van mevrouw Jansen op woensdag en zet haar klacht over de factuur door naar "
    "Financiën, met een bericht aan haar.",
    "You answer Mrs Jansen's question on Wednesday and pass her invoice complaint to Finance, with a message to her.",
    "Een vraag blijft een week in je mailbox staan.",
    "A question sits in your inbox for a week.",
)

SUGGESTIONS = [
    (
        "employee@example.com",
        "Je beantwoordt een klantvraag binnen twee werkdagen, of zet hem door en laat de klant dezelfde dag "
        "weten wie hem verder helpt.",
        "'Je zorgt dat' zegt niet wat ik zelf moet doen, en de klant hoort nu niets als ik doorzet.",
    ),
    (
        "sanne.bakker@example.com",
        "Je belt de klant binnen twee werkdagen terug als een vraag per mail niet op te lossen is.",
        "Bij lastige vragen werkt bellen sneller dan nog een mail.",
    ),
]
ENDORSERS = ["emma.smit@example.com", "noah.meijer@example.com", "julia.mulder@example.com"]

NOT_COUNTED = [
    ("Uren die je buiten je contract maakt", "Hours worked beyond your contract"),
    (
        "Zaken buiten je invloed, zoals een storing bij een leverancier",
        "Things outside your control, such as a supplier's outage",
    ),
    ("Hoe vaak je na werktijd je mail leest", "How often you read email after hours"),
    (
        "Je persoonlijkheid of stijl, zolang je gedrag past bij de verwachtingen",
        "Your personality or style, as long as your behaviour meets the expectations",
    ),
]


def _expectation(organization, values, goals, spec, status, weight, **extra):
    value, goal, title_nl, title_en, behaviour_nl, behaviour_en, yes_nl, yes_en, not_nl, not_en = spec
    existing = ExpectationVersion.objects.filter(organization=organization, number=1, title_nl=title_nl).first()
    if existing is not None:
        return existing.expectation, 0
    now = timezone.now()
    published = now if status == Status.PUBLISHED else None
    expectation = Expectation.objects.create(
        organization=organization, core_value=values[value], status=status, published_at=published, **extra
    )
    version = ExpectationVersion.objects.create(
        organization=organization,
        expectation=expectation,
        number=1,
        title_nl=title_nl,
        title_en=title_en,
        behaviour_nl=behaviour_nl,
        behaviour_en=behaviour_en,
        examples_yes_nl=yes_nl,
        examples_yes_en=yes_en,
        examples_not_yet_nl=not_nl,
        examples_not_yet_en=not_en,
        weight=weight,
        strategic_goal=goals[goal] if goal is not None else None,
        published_at=published,
    )
    expectation.current_version = version
    expectation.save(update_fields=["current_version"])
    return expectation, 2


def seed(organization) -> int:
    """Create the demo expectations of ``organization`` (the caller disables scopes)."""
    created = 0
    values = {}
    for order, (name_nl, name_en, description_nl, description_en) in enumerate(CORE_VALUES):
        values[name_nl], new = CoreValue.objects.get_or_create(
            organization=organization,
            name_nl=name_nl,
            defaults={
                "name_en": name_en,
                "description_nl": description_nl,
                "description_en": description_en,
                "order": order,
            },
        )
        created += new
    goals = []
    for order, (title_nl, title_en, meaning_nl, meaning_en) in enumerate(GOALS):
        goal, new = StrategicGoal.objects.get_or_create(
            organization=organization,
            title_nl=title_nl,
            defaults={"title_en": title_en, "meaning_nl": meaning_nl, "meaning_en": meaning_en, "order": order},
        )
        goals.append(goal)
        created += new
    for spec in EXPECTATIONS:
        _expectation_row, new = _expectation(organization, values, goals, spec, Status.PUBLISHED, weight=20)
        created += new
    for order, (text_nl, text_en) in enumerate(NOT_COUNTED):
        _item, new = NotCounted.objects.get_or_create(
            organization=organization, text_nl=text_nl, defaults={"text_en": text_en, "order": order}
        )
        created += new

    members = {
        employee.user.email: employee
        for employee in Employee.objects.filter(organization=organization).select_related("user")
    }
    proposer = members.get("manager@example.com")
    team = Team.objects.filter(organization=organization, name="Klantenservice").first()
    if proposer is None or team is None:
        return created
    expectation, new = _expectation(
        organization,
        values,
        goals,
        SHARPENING,
        Status.SHARPENING,
        weight=20,
        for_everyone=False,
        proposed_by=proposer,
        sharpening_closes_on=timezone.localdate() + timezone.timedelta(days=21),
    )
    created += new
    if new:
        expectation.teams.set([team])
        for email, text, why in SUGGESTIONS:
            Suggestion.objects.create(
                organization=organization,
                expectation=expectation,
                author=members[email],
                language="nl",
                text=text,
                why=why,
            )
            created += 1
        for email in ENDORSERS:
            Endorsement.objects.create(
                organization=organization,
                expectation=expectation,
                employee=members[email],
                wording_revision=expectation.wording_revision,
            )
            created += 1
    return created
