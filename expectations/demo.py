"""Demo content for Voorbeeld BV: core values, goals, five sharp expectations, one in sharpening.

Written in Dutch with English text too. ``seed(organization)`` creates what
is missing and returns how many rows it made; running it twice makes none.
The goals speak of this year (the demo's active cycle); the expectations were
published at the start of the year; the one in sharpening was proposed by Mila
(manager@example.com) ten days ago and has suggestions from two of her team,
neither of them a demo login, so nobody logs in to find words they never wrote.
"""

from datetime import date, time, timedelta

from django.utils import timezone

from organizations.demo_time import at, workday_on_or_after, working_before
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
        "In {year} beantwoorden we 90 % van de klantvragen binnen een werkdag. Elke vraag die blijft liggen, "
        "kost ons een klant.",
        "In {year} we answer 90 % of customer questions within one working day. Every question left waiting "
        "costs us a customer.",
    ),
    (
        "Minder herstelwerk na oplevering",
        "Less rework after delivery",
        "Eind {year} moeten we de helft minder opleveringen herstellen dan vorig jaar, doordat werk eerst door een "
        "collega wordt gecontroleerd.",
        "By the end of {year} we fix half as many deliveries as last year, because a colleague checks work first.",
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
        "Na het klantoverleg staat dezelfde middag in het dossier: 'Wij sturen uiterlijk 12 maart de "
        "nieuwe planning; de klant bevestigt binnen twee dagen.'",
        "The afternoon after the customer meeting the file says: 'We send the new plan by 12 March; the customer "
        "confirms within two days.'",
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
    "Je beantwoordt de vraag van mevrouw Hoekstra op woensdag en zet haar klacht over de factuur door naar "
    "Financiën, met een bericht aan haar.",
    "You answer Mrs Hoekstra's question on Wednesday and pass her invoice complaint to Finance, with a message to her.",
    "Een vraag blijft een week in je mailbox staan.",
    "A question sits in your inbox for a week.",
)

# Neither author is a demo login: Daan (employee@example.com) finds the draft open for his own suggestion.
SUGGESTIONS = [
    (
        "tess.vos@example.com",
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


def _expectation(organization, values, goals, spec, status, weight, *, written, author=None, **extra):
    """One expectation with its first version, written at ``written`` and, when published, published on the first
    working day from 5 January after it (never after now)."""
    value, goal, title_nl, title_en, behaviour_nl, behaviour_en, yes_nl, yes_en, not_nl, not_en = spec
    existing = ExpectationVersion.objects.filter(organization=organization, number=1, title_nl=title_nl).first()
    if existing is not None:
        return existing.expectation, 0
    zone = organization.zone
    published = None
    if status == Status.PUBLISHED:
        new_year = at(workday_on_or_after(date(written.year + 1, 1, 5)), time(9, 0), zone)
        published = min(new_year, working_before(timezone.now(), zone))
    expectation = Expectation.objects.create(
        organization=organization,
        core_value=values[value],
        status=status,
        published_at=published,
        created_at=written,
        **extra,
    )
    version = ExpectationVersion.objects.create(
        created_by=author,
        created_at=written,
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
    # The goals speak of this year: the year of the demo's active cycle (cycles.demo).
    today = timezone.localdate()
    zone = organization.zone
    goals = []
    for order, (title_nl, title_en, meaning_nl, meaning_en) in enumerate(GOALS):
        goal, new = StrategicGoal.objects.get_or_create(
            organization=organization,
            title_nl=title_nl,
            defaults={
                "title_en": title_en,
                "meaning_nl": meaning_nl.format(year=today.year),
                "meaning_en": meaning_en.format(year=today.year),
                "order": order,
            },
        )
        goals.append(goal)
        created += new
    members = {
        employee.user.email: employee
        for employee in Employee.objects.filter(organization=organization).select_related("user")
    }
    # HR wrote the expectations in December of last year and published them in the first week of January.
    hr = members.get("hr@example.com")
    for number, spec in enumerate(EXPECTATIONS):
        written = at(workday_on_or_after(date(today.year - 1, 12, 14 + number)), time(10 + number, 15), zone)
        _expectation_row, new = _expectation(
            organization, values, goals, spec, Status.PUBLISHED, weight=20, written=written, author=hr
        )
        created += new
    for order, (text_nl, text_en) in enumerate(NOT_COUNTED):
        _item, new = NotCounted.objects.get_or_create(
            organization=organization, text_nl=text_nl, defaults={"text_en": text_en, "order": order}
        )
        created += new

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
        written=working_before(timezone.now() - timedelta(days=10), zone),
        author=proposer,
        for_everyone=False,
        proposed_by=proposer,
        sharpening_closes_on=workday_on_or_after(today + timedelta(days=21)),
    )
    created += new
    if new:
        expectation.teams.set([team])
        # Suggestions and endorsements came in over the week after HR opened the draft, in working hours.
        for number, (email, text, why) in enumerate(SUGGESTIONS):
            Suggestion.objects.create(
                organization=organization,
                expectation=expectation,
                author=members[email],
                language="nl",
                text=text,
                why=why,
                created_at=working_before(timezone.now() - timedelta(days=6 - 2 * number, hours=3), zone),
            )
            created += 1
        for number, email in enumerate(ENDORSERS):
            Endorsement.objects.create(
                organization=organization,
                expectation=expectation,
                employee=members[email],
                wording_revision=expectation.wording_revision,
                created_at=working_before(timezone.now() - timedelta(days=5 - number, hours=1), zone),
            )
            created += 1
    return created
