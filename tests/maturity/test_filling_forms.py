"""Numbers typed the Indonesian or the English way, and the data form."""

from decimal import Decimal

import pytest

from kotacerdas.indicators.models import Indicator, ValueType
from kotacerdas.maturity.forms_filling import DataForm, parse_number
from kotacerdas.maturity.views_filling import display_number, shown_number


@pytest.mark.parametrize(
    ("text", "language", "plain"),
    [
        ("1234", "id", "1234"),
        ("1234,5", "id", "1234.5"),
        ("1.234,5", "id", "1234.5"),
        ("1.234.567,25", "id", "1234567.25"),
        ("1.234", "id", "1234"),  # ambiguous: Indonesian groups with a point
        ("1,234", "id", "1.234"),  # ambiguous: Indonesian decimal comma
        ("1234.5", "en", "1234.5"),
        ("1,234.5", "en", "1234.5"),
        ("1,234,567.25", "en", "1234567.25"),
        ("1.234", "en", "1.234"),  # ambiguous: English decimal point
        ("1,234", "en", "1234"),  # ambiguous: English groups with a comma
        ("12,5", "en", "12.5"),  # not three digits: a decimal either way
        ("12.5", "id", "12.5"),
        ("1 234,5", "id", "1234.5"),
        ("-0,25", "id", "-0.25"),
        ("", "id", ""),
        ("  ", "en", ""),
    ],
)
def test_parse_number(text, language, plain):
    assert parse_number(text, language) == plain


@pytest.mark.parametrize(
    "text",
    ["abc", "1,2,3.4.5", "12a", "1.2.3,4,5", "--1", "1.2.3", "12.34.567", "1.234.5,6"],
)
def test_parse_number_refuses_what_is_not_a_number(text):
    with pytest.raises(ValueError):
        parse_number(text, "id")


@pytest.mark.parametrize(
    ("value", "language", "shown", "display"),
    [
        (Decimal("1234.5000"), "id", "1234,5", "1.234,5"),
        (Decimal("1234.5000"), "en", "1234.5", "1,234.5"),
        (Decimal("1.2340"), "id", "1,234", "1,234"),
        (Decimal("1.2340"), "en", "1.234", "1.234"),
        (Decimal("1250000"), "id", "1250000", "1.250.000"),
        (Decimal("-12.5"), "en", "-12.5", "-12.5"),
    ],
)
def test_stored_numbers_read_back_as_the_same_number(value, language, shown, display):
    assert shown_number(value, language) == shown
    assert display_number(value, language) == display
    # What the page shows, typed back, is the same number.
    assert Decimal(parse_number(shown, language)) == value


@pytest.mark.django_db
def test_the_form_reads_only_the_fields_sent_and_keeps_bad_ones_out():
    indicator = (
        Indicator.objects.active().filter(value_type=ValueType.PERCENTAGE).first()
    )
    form = DataForm({"numerator": "1.234,5", "denominator": "x"}, indicator=indicator)
    form.is_valid()
    assert form.sent_fields() == {"numerator": "1234.5"}
    assert "denominator" in form.errors
    assert "direct_value" not in form.fields
    assert form.fields["numerator"].label == indicator.numerator


@pytest.mark.django_db
def test_an_indicator_without_denominator_has_only_the_value():
    indicator = Indicator.objects.active().filter(value_type=ValueType.DURATION).first()
    form = DataForm({"direct_value": "2,5"}, indicator=indicator)
    form.is_valid()
    assert set(form.fields) >= {"direct_value", "data_year", "self_level"}
    assert "numerator" not in form.fields
    assert form.sent_fields() == {"direct_value": "2.5"}
