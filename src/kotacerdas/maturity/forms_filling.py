"""Forms of the region's filling of a maturity stage (step 9).

The data form reads only the fields that were sent, so that the autosave of one
changed field never clears the others, and turns numbers typed the Indonesian
way (``1.234,5``) or the English way (``1,234.5``, ``1234.5``) into the plain
notation ``services_filling.clean_fields`` expects. The checks of the values
themselves (year range, level 1–5, figures the indicator needs) are the
service's, shared with the Excel import.
"""

import re

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kotacerdas.maturity.services_filling import FIELDS
from kotacerdas.maturity.values import needs_denominator

_SEPARATORS = re.compile(r"[.,]")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def parse_number(text, language=None):
    """``text`` as a plain number string (``"1234.5"``), or raise ValueError.

    Both notations are understood. When a number holds both separators, the
    last one is the decimal separator. A separator that appears more than once,
    or in English ``1,234``-like grouping, groups thousands. A single separator
    followed by other than three digits is the decimal separator (``12,5`` and
    ``12.5`` are both twelve and a half). Only ``1.234`` and ``1,234`` are
    truly ambiguous; the user's language decides: in Indonesian the point
    groups thousands, in English it is the decimal point.
    """
    text = (text or "").strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return ""
    separators = _SEPARATORS.findall(text)
    if not separators:
        whole, grouping, decimals = text, "", ""
    elif len(set(separators)) == 2:
        point = max(text.rfind("."), text.rfind(","))
        whole, decimals = text[:point], text[point + 1 :]
        grouping = "," if text[point] == "." else "."
    else:
        mark = separators[0]
        whole, _sep, last = text.rpartition(mark)
        if len(separators) > 1:
            whole, grouping, decimals = text, mark, ""
        elif len(last) != 3:
            whole, grouping, decimals = whole, "", last
        else:
            language = (language or get_language() or "id")[:2]
            if (mark == ".") == (language == "id"):
                whole, grouping, decimals = text, mark, ""
            else:
                grouping, decimals = "", last
    # Grouped digits come in threes after the first group: 1.234.567.
    if grouping and not re.fullmatch(
        rf"[+-]?\d{{1,3}}(?:{re.escape(grouping)}\d{{3}})+", whole
    ):
        raise ValueError(text)
    plain = whole.replace(grouping, "") if grouping else whole
    if decimals:
        plain = f"{plain}.{decimals}"
    if not _NUMBER.match(plain):
        raise ValueError(text)
    return plain


class NumberField(forms.CharField):
    """A figure in either notation; cleans to the plain notation (or "")."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return parse_number(value)
        except ValueError:
            raise forms.ValidationError(
                _("Enter a number, such as 1.234,5 or 1234.5."), code="invalid"
            ) from None


class DataForm(forms.Form):
    """One indicator's figures; every field optional, only those sent count."""

    data_year = forms.CharField(
        label=_("Data year"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4}),
    )
    numerator = NumberField(label=_("Numerator"), required=False, max_length=40)
    denominator = NumberField(label=_("Denominator"), required=False, max_length=40)
    direct_value = NumberField(label=_("Value"), required=False, max_length=40)
    source = forms.CharField(label=_("Data source"), required=False, max_length=300)
    method = forms.CharField(
        label=_("Method notes"), required=False, widget=forms.Textarea({"rows": 3})
    )
    solution = forms.CharField(
        label=_("Smart solution"), required=False, widget=forms.Textarea({"rows": 3})
    )
    self_level = forms.TypedChoiceField(
        label=_("Self-assessed level"),
        required=False,
        choices=[("", "—"), *[(str(n), str(n)) for n in range(1, 6)]],
        widget=forms.RadioSelect,
    )
    justification = forms.CharField(
        label=_("Justification of the level"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
    )

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        # Labels of the figures come from the indicator itself.
        if needs_denominator(indicator):
            del self.fields["direct_value"]
            self.fields["numerator"].label = indicator.numerator or _("Numerator")
            self.fields["denominator"].label = indicator.denominator or _("Denominator")
        else:
            del self.fields["numerator"]
            del self.fields["denominator"]
            self.fields["direct_value"].label = indicator.numerator or _("Value")

    def sent_fields(self):
        """``{field: value}`` of the valid fields that were sent.

        Call after ``is_valid()``: a field with an error is left out (its error
        stays in ``errors``), so nothing stored is overwritten by bad input.
        """
        sent = set(self.data)
        return {
            name: self.cleaned_data[name]
            for name in FIELDS
            if name in self.fields and name in sent and name not in self.errors
        }
