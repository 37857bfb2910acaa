"""How people's names sort: Dutch style, by surname without its tussenvoegsel ("de Jong" under J).

A Dutch surname is stored as it is written after a first name, prefix included ("Sanne de Jong": first name
"Sanne", last name "de Jong"). Lists sort such a name as "Jong, Sanne de": on the surname itself, then the first
name, then the prefix. :func:`sort_name` builds that key once per write (Employee.sort_name, kept by
Employee.save() and by Employee.objects.bulk_create / bulk_update), so the database sorts with an index instead of
Python sorting 10,000 names.

The key is folded for comparing, not for reading: lower case, accents off ("Öztürk" beside "Ozturk", not after
"Zwart"), the parts joined by ", " (a comma sorts before every letter, so "Jong" comes before "Jongen").
"""

import re
import unicodedata

# The tussenvoegsels a Dutch surname may start with, longest first so "van der" wins over "van". Lower case: the
# comparison is case-insensitive ("De Vries" written as in a sentence's start sorts as "de Vries"). From the
# Dutch civil registry's list (GBA table 36), the ones in common use; a surname that is only a prefix ("Van")
# keeps it.
TUSSENVOEGSELS = sorted(
    {
        "'s",
        "'t",
        "aan de",
        "aan den",
        "aan het",
        "aan 't",
        "bij de",
        "bij het",
        "d'",
        "da",
        "de",
        "de la",
        "del",
        "della",
        "den",
        "der",
        "des",
        "di",
        "du",
        "het",
        "in de",
        "in den",
        "in het",
        "in 't",
        "la",
        "le",
        "op de",
        "op den",
        "op het",
        "op 't",
        "te",
        "ten",
        "ter",
        "uit de",
        "uit den",
        "uit het",
        "uit 't",
        "van",
        "van de",
        "van den",
        "van der",
        "van het",
        "van 't",
        "van ter",
        "van ten",
        "von",
        "von der",
        "voor de",
        "voor den",
        "voor in 't",
    },
    key=len,
    reverse=True,
)

# Letters that do not decompose into a base letter and an accent.
_FOLDED = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe", "ß": "ss"})
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_SPACES = re.compile(r"\s+")
SORT_NAME_LENGTH = 300  # Employee.sort_name: a first name (100) and a last name (150), folded, with room to spare


def fold(text: str) -> str:
    """``text`` for comparing: lower case, without accents, apostrophes straight, spaces single."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return _SPACES.sub(" ", text.casefold().translate(_FOLDED)).strip()


def split_surname(last_name: str) -> tuple[str, str]:
    """``(tussenvoegsel, surname)`` of a last name as written: "van der Meer" gives ("van der", "Meer").

    Both come back as written (case and accents kept); the prefix is "" when there is none.
    """
    written = _SPACES.sub(" ", last_name.translate(_APOSTROPHES)).strip()
    folded = written.casefold()
    for prefix in TUSSENVOEGSELS:
        # "d'" and "'s"/"'t" may be written against the surname ("d'Ancona"); the others need a space after them.
        glued = prefix.endswith("'")
        if folded.startswith(prefix if glued else prefix + " ") and len(folded) > len(prefix) + (0 if glued else 1):
            rest = written[len(prefix) :].strip()
            return written[: len(prefix)], rest
    return "", written


def sort_name(first_name: str, last_name: str) -> str:
    """The key people sort on: "jong, sanne, de" for Sanne de Jong; without a last name the first name leads."""
    prefix, surname = split_surname(last_name or "")
    first = first_name or ""
    parts = [surname or first, first if surname else "", prefix]
    return ", ".join(fold(part) for part in parts).rstrip(", ")[:SORT_NAME_LENGTH]
