"""Forms of the report pages: the lead's narrative and the admin's publication."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.indicators.models import Dimension
from kotacerdas.maturity.report import dimension_codes

PREFIX = "recommendation_"


class ReportForm(forms.Form):
    """Summary, strengths, a recommendation per dimension of the stage's
    methodology, and from version 2 on what the version corrects."""

    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    strengths = forms.CharField(
        label=_("Strengths"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    correction_note = forms.CharField(
        label=_("What this version corrects"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, report, **kwargs):
        self.report = report
        kwargs.setdefault(
            "initial",
            {
                "summary": report.summary,
                "strengths": report.strengths,
                "correction_note": report.correction_note,
                **{
                    PREFIX + code: text
                    for code, text in (report.recommendations or {}).items()
                },
            },
        )
        super().__init__(*args, **kwargs)
        if report.version == 1:
            del self.fields["correction_note"]
        names = {d.code: d.name for d in Dimension.objects.all()}
        for code in dimension_codes(report.stage):
            self.fields[PREFIX + code] = forms.CharField(
                label=_("Recommendation: %(dimension)s")
                % {"dimension": names.get(code, code)},
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
            )

    def recommendation_fields(self):
        return [self[name] for name in self.fields if name.startswith(PREFIX)]

    def narrative(self):
        data = self.cleaned_data
        return {
            "summary": data["summary"],
            "strengths": data["strengths"],
            "recommendations": {
                name.removeprefix(PREFIX): value
                for name, value in data.items()
                if name.startswith(PREFIX)
            },
            "note": data.get("correction_note"),
        }


class PublishForm(forms.Form):
    """The admin's confirmation: publication cannot be undone."""

    confirm = forms.BooleanField(
        label=_(
            "I have read this version; once published its figures and text can "
            "no longer change."
        ),
        required=True,
    )
