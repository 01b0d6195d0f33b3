"""Forms of the region's filling of a stage (step 5).

The answers form has one pair of fields per criterion of the stage's
methodology and reads only the fields that were sent, so that the autosave of
one changed field never clears the others.
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.models import Role, User
from kotacerdas.assessments.models import Answer
from kotacerdas.common.uploads import EVIDENCE, PrivateFileField

EXPLANATION_MAX = 5000


def answer_name(code):
    return f"{code}-answer"


def explanation_name(code):
    return f"{code}-explanation"


class AnswersForm(forms.Form):
    """The readiness answers of one indicator; every field optional."""

    def __init__(self, *args, codes, **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = list(codes)
        for code in self.codes:
            self.fields[answer_name(code)] = forms.ChoiceField(
                label=_("Answer to %(code)s") % {"code": code},
                choices=[("", "—"), *Answer.choices],
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[explanation_name(code)] = forms.CharField(
                label=_("Explanation for %(code)s") % {"code": code},
                max_length=EXPLANATION_MAX,
                required=False,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def changed_answers(self):
        """``{code: {"answer"?, "explanation"?}}`` of the valid fields sent.

        Call after ``is_valid()``: a field with an error is left out, so that
        the valid ones are still saved and nothing stored is overwritten.
        """
        sent = set(self.data)
        answers = {}
        for code in self.codes:
            fields = {}
            for key, name in (
                ("answer", answer_name(code)),
                ("explanation", explanation_name(code)),
            ):
                if name in sent and name not in self.errors:
                    fields[key] = self.cleaned_data[name]
            if fields:
                answers[code] = fields
        return answers


def team_candidates(stage):
    """The region's active coordinators and members, who can take an indicator."""
    return (
        User.objects.filter(
            region_id=stage.registration.region_id,
            is_active=True,
        )
        .filter(Q(roles__role=Role.REGION_MEMBER) | Q(roles__role=Role.PARTICIPANT))
        .distinct()
        .order_by("full_name", "email")
    )


class AssignForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("Assigned to"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— nobody —"),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = candidates


class EvidenceForm(forms.Form):
    label = forms.CharField(label=_("Description"), max_length=200)
    file = PrivateFileField(kinds=EVIDENCE, label=_("File"), required=False)
    url = forms.URLField(
        label=_("or a link"), max_length=500, required=False, assume_scheme="https"
    )

    def clean(self):
        cleaned = super().clean()
        if "file" in self.errors or "url" in self.errors:
            return cleaned
        if bool(cleaned.get("file")) == bool(cleaned.get("url")):
            raise forms.ValidationError(_("Give either a file or a link."))
        return cleaned


class ClarificationAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer to the question"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OpenStageForm(forms.Form):
    """Nothing to fill: the button confirms the opening."""
