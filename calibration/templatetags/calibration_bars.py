"""The rows calibration/bars.html and the calibration page draw: per band, a group's count and share beside the
organisation's, with the SVG's numbers written with a dot whatever the reader's language (a Dutch comma would
break the drawing)."""

from dataclasses import dataclass
from decimal import Decimal

from django import template

from calibration.distribution import Distribution

register = template.Library()

ROW = 40  # the height of one band in calibration/bars.html, in the SVG's own units (its width is 300)
SCALE = 2  # a share of 100 % is a bar of 200 units, leaving room for its figure on the right


def _number(value) -> str:
    return format(Decimal(value).normalize(), "f")


@dataclass(frozen=True)
class BarRow:
    band: object
    count: int
    share: Decimal
    organization_count: int | None
    organization_share: Decimal | None
    top: int  # where the band's row starts in bars.html

    @property
    def percent(self) -> str:
        """The share on a scale of 100, for a bar in a box 100 wide (the calibration page's table cells)."""
        return _number(self.share)

    @property
    def organization_percent(self) -> str:
        return _number(self.organization_share or 0)

    @property
    def width(self) -> str:
        return _number(self.share * SCALE)

    @property
    def organization_width(self) -> str:
        return _number((self.organization_share or 0) * SCALE)

    @property
    def figure_x(self) -> str:
        return _number(self.share * SCALE + 4)

    @property
    def organization_figure_x(self) -> str:
        return _number((self.organization_share or 0) * SCALE + 4)

    @property
    def text_y(self) -> int:
        return self.top + 11

    @property
    def bar_y(self) -> int:
        return self.top + 15

    @property
    def organization_y(self) -> int:
        return self.top + 27


@dataclass(frozen=True)
class Bars:
    rows: list
    height: int
    compared: bool  # drawn beside the organisation's


@register.simple_tag
def bar_rows(distribution, organization, bands) -> Bars:
    """Per band of ``bands`` (low to high) ``distribution``'s count and share, and ``organization``'s (or None)."""
    if not isinstance(organization, Distribution):
        organization = None
    rows = [
        BarRow(
            band=band,
            count=distribution.count(band.pk),
            share=distribution.share(band.pk),
            organization_count=None if organization is None else organization.count(band.pk),
            organization_share=None if organization is None else organization.share(band.pk),
            top=number * ROW,
        )
        for number, band in enumerate(bands)
    ]
    return Bars(rows=rows, height=ROW * len(rows), compared=organization is not None)
