"""An indicator's value from the region's figures, and the warnings it earns.

Pure functions of an indicator and the stored figures, so that the filling
page, the Excel import, the review and the report all show the same value and
the same formula. Warnings never block: they ask the region (and later the
assessor) to look again.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import get_format
from django.utils.translation import gettext as _

from kotacerdas.indicators.models import ValueType

# Values are shown and stored to four decimals, like the figures they come from.
PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class ComputedValue:
    value: Decimal | None
    formula: str
    problem: str = ""


def needs_denominator(indicator):
    return indicator.value_type in ValueType.with_denominator()


def canonical(number):
    """A figure without trailing zeros, grouping or locale: ``1234.5``."""
    number = Decimal(number)
    if number == number.to_integral():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    return format(number, "f")


def _plain(number):
    """A figure without trailing zeros, its thousands apart by spaces as in the
    indicators' units ("per 100 000") and its decimal mark the reader's:
    ``1 250``, ``12,5`` on an Indonesian page, ``12.5`` on an English one."""
    if number is None:
        return "—"
    whole, _dot, fraction = canonical(number).partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{int(whole.lstrip('-') or 0):,}".replace(",", " ")
    if not fraction:
        return sign + grouped
    return f"{sign}{grouped}{get_format('DECIMAL_SEPARATOR')}{fraction}"


def compute_value(indicator, data):
    """The value of ``indicator`` from ``data`` (anything with the figure fields).

    With a denominator: numerator / denominator × scale (100 for a percentage,
    100 000 for a rate per 100 000 population). Without: the value as given.
    """
    if not needs_denominator(indicator):
        value = data.direct_value
        return ComputedValue(
            value=None if value is None else Decimal(value).quantize(PLACES),
            formula=_("value as given: %(value)s") % {"value": _plain(value)},
        )

    numerator, denominator = data.numerator, data.denominator
    scale = Decimal(indicator.scale or 1)
    formula = _("%(numerator)s ÷ %(denominator)s × %(scale)s") % {
        "numerator": _plain(numerator),
        "denominator": _plain(denominator),
        "scale": _plain(scale),
    }
    if numerator is None or denominator is None:
        return ComputedValue(None, formula)
    if Decimal(denominator) == 0:
        return ComputedValue(None, formula, _("The denominator is zero."))
    try:
        value = (Decimal(numerator) / Decimal(denominator) * scale).quantize(
            PLACES, ROUND_HALF_UP
        )
    except InvalidOperation:
        return ComputedValue(None, formula, _("The value is too large to compute."))
    return ComputedValue(value, f"{formula} = {_plain(value)}")


@dataclass(frozen=True)
class NationalRange:
    """Where other regions' values of one indicator lie (from published reports)."""

    low: Decimal
    high: Decimal
    count: int


def warnings(indicator, data, *, previous_value=None, jump_factor=None, national=None):
    """Plausibility warnings for one indicator's figures, as sentences.

    ``previous_value`` is the region's value of the previous period,
    ``jump_factor`` the methodology's ``plausibility.jump_factor``, ``national``
    a NationalRange of other regions (ignored below five values).
    """
    found = []
    computed = compute_value(indicator, data)
    if computed.problem:
        found.append(computed.problem)
    value = computed.value
    if value is None:
        return found

    if indicator.value_type == ValueType.PERCENTAGE and not 0 <= value <= 100:
        found.append(
            _("A percentage should lie between 0 and 100; this one is %(value)s.")
            % {"value": _plain(value)}
        )
    if value < 0:
        found.append(_("The value is negative."))
    if data.numerator is not None and data.numerator < 0:
        found.append(_("The numerator is negative."))

    if previous_value is not None and jump_factor:
        factor = Decimal(str(jump_factor))
        previous = Decimal(previous_value)
        if (
            previous == 0
            and value != 0
            or (
                previous != 0
                and (value / previous > factor or value / previous < 1 / factor)
            )
        ):
            found.append(
                _(
                    "The value changed from %(previous)s last period to %(value)s, "
                    "more than %(factor)s times."
                )
                % {
                    "previous": _plain(previous),
                    "value": _plain(value),
                    "factor": _plain(factor),
                }
            )

    if national is not None and national.count >= 5:
        spread = max(national.high - national.low, abs(national.high), Decimal(1))
        if value > national.high + spread or value < national.low - spread:
            found.append(
                _(
                    "The value %(value)s is far outside what other regions report "
                    "(%(low)s to %(high)s)."
                )
                % {
                    "value": _plain(value),
                    "low": _plain(national.low),
                    "high": _plain(national.high),
                }
            )
    return found


def typed(number):
    """A figure as it is typed back into a field: no grouping, the reader's
    decimal mark (``1237,5`` on an Indonesian page)."""
    if number is None:
        return ""
    return _plain(number).replace(" ", "")


plain = _plain
