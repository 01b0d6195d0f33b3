"""Forms of the assessors' review: points per criterion, the clarification
request and the decision.

The score forms only read and check the input; saving goes through the domain
functions of services.py.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.indicators.models import Indicator


class PointsForm(forms.Form):
    """Points (0 to the methodology's maximum) and a comment per criterion.

    Every field is optional, so that an assessor can save an indicator part by
    part; a comment without points is refused, since only points are stored.
    ``scores()`` gives ``{code: (points, comment)}`` of the criteria with points.
    """

    def __init__(self, *args, codes, max_points, **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = list(codes)
        choices = [("", "—")] + [(str(n), str(n)) for n in range(max_points + 1)]
        for code in self.codes:
            self.fields[f"points_{code}"] = forms.TypedChoiceField(
                label=_("Points for %(code)s") % {"code": code},
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"comment_{code}"] = forms.CharField(
                label=_("Comment on %(code)s") % {"code": code},
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self):
        cleaned = super().clean()
        for code in self.codes:
            points = cleaned.get(f"points_{code}")
            comment = (cleaned.get(f"comment_{code}") or "").strip()
            if points is None and comment:
                self.add_error(
                    f"points_{code}",
                    _("Give points for %(code)s to save its comment.") % {"code": code},
                )
        return cleaned

    def scores(self):
        return {
            code: (
                self.cleaned_data[f"points_{code}"],
                self.cleaned_data.get(f"comment_{code}") or "",
            )
            for code in self.codes
            if self.cleaned_data.get(f"points_{code}") is not None
        }


class ClarificationForm(forms.Form):
    """The assessor's question on some indicators of the stage, with a due date."""

    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators to reopen"),
        queryset=Indicator.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose one or more indicators.")},
    )
    question = forms.CharField(
        label=_("Question for the region"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    due_date = forms.DateField(
        label=_("Answer by"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, stage, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].queryset = Indicator.objects.filter(
            pk__in=stage.responses.values("indicator_id")
        ).order_by("sort_key")
        self.fields["indicators"].label_from_instance = lambda indicator: (
            f"{indicator.clause} {indicator.title}"
        )

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("Give a due date that is not in the past."))
        return due


class DecisionForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of the decision"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
