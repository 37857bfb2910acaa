"""What the demo's observations say (reviews.demo, reviews.demo_last_year and the large demo): situation, behaviour
and effect in Dutch, the language of the demo organisations, and which demo expectation each is an example of."""

# (situation, behaviour, effect), Dutch: the demo organisation works in Dutch.
SEEN = [
    (
        "Klant Hoekstra belde voor de derde keer over dezelfde factuur.",
        "Je vatte zijn vraag samen, beloofde hem vrijdag terug te bellen en deed dat om 10 uur.",
        "De klant bedankte ons in de enquête en de vraag was in één keer opgelost.",
    ),
    (
        "Het teamoverleg van dinsdag over de nieuwe belscripts.",
        "Je vroeg een collega om feedback op jouw gespreksopening en schreef de twee tips op.",
        "Die collega deelde daarna zelf een voorbeeld; twee anderen namen de opening over.",
    ),
    (
        "Oplevering van het klantdossier voor de kwartaalcontrole.",
        "Je vulde de afspraken met de klant dezelfde dag in het dossier in, met datum en naam.",
        "De controle vond alles terug zonder navragen.",
    ),
    (
        "Een klacht over een late levering, vlak voor het weekend.",
        "Je zette de klacht door naar Logistiek zonder te noteren wat je de klant had beloofd.",
        "De klant werd maandag door twee collega's gebeld met verschillende antwoorden.",
    ),
]
ROOM = 3  # the index in SEEN that shows room to grow
# Per text of SEEN, the demo expectations (expectations.demo, by Dutch title) it is an example of, best first.
FITS = [
    ("Afspraken vastleggen", "Risico's op tijd melden"),
    ("Feedback vragen", "Kennis delen"),
    ("Afspraken vastleggen", "Werk laten controleren"),
    ("Afspraken vastleggen", "Risico's op tijd melden"),
]


def fitting(expectations, seen: int, fallback: int):
    """Of ``expectations``, the one SEEN[seen] is an example of (FITS), else the one at ``fallback`` (round)."""
    titles = {e.current_version.title_nl: e for e in expectations if e.current_version_id}
    for title in FITS[seen]:
        if title in titles:
            return titles[title]
    return expectations[fallback % len(expectations)] if expectations else None
