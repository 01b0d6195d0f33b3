"""Forms of the maturity review: one indicator's verification and level, and
the decision.

The forms only read the input; the rules (adjusted needs the corrected value
and why, rejected has no level) are checked by
``maturity.services_review.clean_entry``, so that the page and every other
caller refuse the same input with the same words.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.maturity.models import Verification
from kotacerdas.maturity.services_review import ENTRY_FIELDS


class EntryForm(forms.Form):
    verification = forms.ChoiceField(
        label=_("Verification"),
        choices=Verification.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    adjusted_value = forms.CharField(
        label=_("Corrected value"), required=False, max_length=40
    )
    adjustment_reason = forms.CharField(
        label=_("Reason for the correction"), required=False, max_length=4000
    )
    level = forms.CharField(label=_("Maturity level"), required=False, max_length=2)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=4000)

    def entry(self):
        """The input as record_levels takes it.

        The corrected value may be typed the Indonesian way, 1.250,5: with a
        comma, points group the thousands and the comma is the decimal sign.
        """
        fields = {name: self.cleaned_data.get(name) or "" for name in ENTRY_FIELDS}
        value = fields["adjusted_value"].strip()
        if "," in value:
            value = value.replace(".", "").replace(",", ".")
        fields["adjusted_value"] = value
        return fields


class DecisionForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of the decision"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
