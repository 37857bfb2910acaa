"""Four people whose names show Dutch sorting, for the tests that every list of people sorts on Employee.sort_name.

"de Jong" sorts under J, between Bakker and Mulder, and "van Dijk" under D: Anna Bakker, Eline van Dijk, Sanne de
Jong, Piet Mulder (organizations.names). Sorted on the last name as written they would read Bakker, Mulder, de
Jong, van Dijk. The people are made in reverse, so neither the order they were made in nor their last names as
written give the Dutch order by accident.
"""

IN_DUTCH_ORDER = ["Anna Bakker", "Eline van Dijk", "Sanne de Jong", "Piet Mulder"]
IN_EVERY_NAME = "e"  # a search that finds all four


def made_in_reverse(make) -> list:
    """``make(first_name, last_name)`` for each of the four, Piet Mulder first; what it made, in Dutch order."""
    made = {}
    for name in reversed(IN_DUTCH_ORDER):
        first_name, last_name = name.split(" ", 1)
        made[name] = make(first_name, last_name)
    return [made[name] for name in IN_DUTCH_ORDER]


def the_four(names) -> list[str]:
    """``names`` (full names, in the order a list shows them) with only the four left: the test kit's other people
    (Hanna, Mark, Eva, Olaf) have random Dutch surnames."""
    return [name for name in names if name in IN_DUTCH_ORDER]
