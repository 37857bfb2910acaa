"""Ids in addresses: the ``<id:…>`` path converter, and the one way a view looks an object up by its id.

Every object page takes its id as ``<id:employee_id>``. The view receives an
int between 1 and the largest bigint, or is never called: anything else
("abc", "0", "-1", "1e3", " 1", "007", 2**63, digits of other scripts) is no
match, so the address answers 404 and never reaches int() or the database,
where it would be a 500. :func:`get_or_404` then answers 404 for an id that is
well formed but not among the rows the view may show (another organisation's,
someone else's), so the two cases look alike from outside.
"""

from django.http import Http404
from django.urls import register_converter, reverse

BIGINT_MAX = 2**63 - 1  # the largest key a BigAutoField (and SQLite's INTEGER) holds


class IdConverter:
    """A positive whole number in plain ASCII digits, without leading zeros, at most ``BIGINT_MAX``.

    The pattern takes any path segment and ``to_python`` refuses what is not
    such a number: Django reads its ValueError as "this pattern does not
    match", which ends in 404. (A stricter pattern would do the same for
    requests, but would make reversing an address with a bad id raise, and
    tests build such addresses on purpose.)
    """

    regex = "[^/]+"

    def to_python(self, value: str) -> int:
        if not (value.isascii() and value.isdigit()) or value.startswith("0") or len(value) > len(str(BIGINT_MAX)):
            raise ValueError(value)
        number = int(value)
        if number > BIGINT_MAX:
            raise ValueError(value)
        return number

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")


def get_or_404(queryset, pk):
    """The row ``pk`` of ``queryset``, or Http404.

    ``queryset`` is what the person may see (already limited to their
    organisation, usually a selector's), so a row outside it answers exactly
    as a row that does not exist. An id that is not a number at all (from a
    form or a query string rather than an ``<id:…>`` address) is a 404 too.
    """
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def address_maker(name: str, id_name: str, **kwargs):
    """A function giving the address ``name`` for an id (``id_name``; ``kwargs``: the other arguments, such as
    org_slug): reversed once, then filled in per row, for lists that link every row of hundreds."""
    before, after = reverse(name, kwargs={**kwargs, id_name: 1}).rsplit("/1/", 1)
    return lambda pk: f"{before}/{pk}/{after}"
