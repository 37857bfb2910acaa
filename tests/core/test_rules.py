"""core.rules.field_in: the predicate every app builds its state rules from."""

from types import SimpleNamespace

from core.rules import field_in

is_open = field_in("state", frozenset({"planned", "scheduled"}), "is_open")


def test_it_holds_for_an_object_whose_field_is_in_the_set():
    assert is_open.test(None, SimpleNamespace(state="scheduled"))


def test_it_fails_for_another_value_and_for_no_object():
    assert not is_open.test(None, SimpleNamespace(state="held"))
    assert not is_open.test(None, None)
