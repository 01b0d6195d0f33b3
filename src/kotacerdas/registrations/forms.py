"""Forms of the registration (step 2) and the completeness check (step 3).

The forms only read and check input; every change goes through services.py.
"""

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.models import Role, User
from kotacerdas.common.uploads import DOCUMENTS, PrivateFileField
from kotacerdas.indicators.models import Indicator
from kotacerdas.regions.models import Region, RegionKind
from kotacerdas.registrations.checklist import CHECKLIST
from kotacerdas.registrations.models import RegistrationState

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()\-.]{4,28}$",
    _("Enter a phone number: digits, spaces, “+”, “-” and brackets."),
)


def period_choices(today=None):
    year = (today or timezone.localdate()).year
    return [(y, str(y)) for y in range(year, year + 3)]


class StartForm(forms.Form):
    """Which period the coordinator registers for; next year unless chosen."""

    period = forms.TypedChoiceField(label=_("Assessment period (year)"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = period_choices()
        self.fields["period"].choices = choices
        self.fields["period"].initial = choices[1][0]


def region_team_candidates(region):
    """The region's active coordinators and members, who may be on its team."""
    return (
        User.objects.filter(
            region=region,
            is_active=True,
            roles__role__in=[Role.PARTICIPANT, Role.REGION_MEMBER],
        )
        .distinct()
        .order_by("full_name", "email")
    )


class RegistrationForm(forms.Form):
    """What the coordinator types into a draft.

    Nothing here is required: a draft may be incomplete, and what it still lacks
    is listed by ``checklist.submission_problems``. The hidden ``*_present``
    markers tell "no box ticked" apart from "the boxes were not on the page", so
    that a partial post never empties a set.
    """

    contact_name = forms.CharField(
        label=_("Contact person"), max_length=150, required=False
    )
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=30,
        required=False,
        validators=[phone_validator],
    )
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    indicators = forms.ModelMultipleChoiceField(
        label=_("Proposed indicators"),
        queryset=Indicator.objects.active(),
        required=False,
    )
    indicators_present = forms.BooleanField(required=False, widget=forms.HiddenInput)
    team = forms.ModelMultipleChoiceField(
        label=_("Team"), queryset=User.objects.none(), required=False
    )
    team_present = forms.BooleanField(required=False, widget=forms.HiddenInput)

    CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email")

    def __init__(self, *args, registration, **kwargs):
        self.registration = registration
        kwargs.setdefault(
            "initial",
            {
                "contact_name": registration.contact_name,
                "contact_phone": registration.contact_phone,
                "contact_email": registration.contact_email,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = region_team_candidates(registration.region)

    def changes(self):
        """What may be saved even when other fields are invalid: the valid part.

        Returns ``(fields, indicators, team)`` for ``services.save_draft``.
        """
        cleaned = self.cleaned_data
        fields = {
            name: cleaned[name] for name in self.CONTACT_FIELDS if name in cleaned
        }
        indicators = team = None
        if cleaned.get("indicators_present") and "indicators" in cleaned:
            indicators = list(cleaned["indicators"])
        if cleaned.get("team_present") and "team" in cleaned:
            team = list(cleaned["team"])
        return fields, indicators, team

    def chosen(self, name):
        """The ids ticked in ``name`` as the page should show them: the posted
        ones on a bound form, so nothing typed is lost on an error."""
        if self.is_bound:
            return {str(value) for value in self.data.getlist(name)}
        if name == "indicators":
            values = self.registration.proposed_indicators.values_list("pk", flat=True)
        else:
            values = self.registration.team.values_list("pk", flat=True)
        return {str(value) for value in values}


class DocumentForm(forms.Form):
    """One of the three required documents, checked by its content."""

    def __init__(self, *args, field="", **kwargs):
        # Three of these forms share a page: each needs its own element ids.
        kwargs.setdefault("auto_id", f"id_{field}_%s")
        super().__init__(*args, **kwargs)
        # Built here, not on the class, so the size limit follows the settings in
        # force for this request.
        self.fields["file"] = PrivateFileField(
            label=_("File to upload"), kinds=DOCUMENTS
        )


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


PASSED_CHOICES = [("yes", _("In order")), ("no", _("Not in order"))]


class CheckForm(forms.Form):
    """The admin's checklist, the decision, and the agreed set editor.

    Fields are made per registration: ``item_<code>`` and ``note_<code>`` for each
    checklist item; ``remove_<id>`` and ``remove_reason_<id>`` for each proposed
    indicator; ``add_<n>`` and ``add_reason_<n>`` for ``add_rows`` rows of
    additions.
    """

    ACTIONS = ("return", "accept", "reject", "more_rows")

    note = forms.CharField(
        label=_("Note to the coordinator"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    add_rows = forms.IntegerField(
        required=False, min_value=1, max_value=30, widget=forms.HiddenInput
    )

    def __init__(self, *args, registration, proposed, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.registration = registration
        self.proposed = list(proposed)
        self.candidates = {str(i.pk): i for i in candidates}

        for code, label in CHECKLIST.items():
            self.fields[f"item_{code}"] = forms.ChoiceField(
                label=label,
                choices=PASSED_CHOICES,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
            self.fields[f"note_{code}"] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

        for indicator in self.proposed:
            self.fields[f"remove_{indicator.pk}"] = forms.BooleanField(
                label=_("Remove"), required=False
            )
            self.fields[f"remove_reason_{indicator.pk}"] = forms.CharField(
                label=_("Reason for removing"),
                required=False,
                max_length=1000,
                widget=forms.TextInput(
                    attrs={"placeholder": _("Reason for removing, if ticked")}
                ),
            )

        choices = [("", "—")] + [
            (str(i.pk), f"{i.clause} {i.title}") for i in self.candidates.values()
        ]
        self.add_count = self._add_count()
        for n in range(self.add_count):
            self.fields[f"add_{n}"] = forms.ChoiceField(
                label=_("Indicator to add"), choices=choices, required=False
            )
            self.fields[f"add_reason_{n}"] = forms.CharField(
                label=_("Reason for adding"),
                required=False,
                max_length=1000,
                widget=forms.TextInput(attrs={"placeholder": _("Reason for adding")}),
            )

    def _add_count(self):
        try:
            rows = int(self.data.get("add_rows") or 3) if self.is_bound else 3
        except ValueError:
            rows = 3
        if self.is_bound and self.data.get("action") == "more_rows":
            rows += 3
        return max(1, min(rows, 30))

    def action(self):
        value = self.data.get("action")
        return value if value in self.ACTIONS else None

    # Views for the template: rows that pair each field with its partner.

    def item_rows(self):
        return [
            (code, self[f"item_{code}"], self[f"note_{code}"]) for code in CHECKLIST
        ]

    def removal_rows(self):
        return [
            (i, self[f"remove_{i.pk}"], self[f"remove_reason_{i.pk}"])
            for i in self.proposed
        ]

    def addition_rows(self):
        return [
            (self[f"add_{n}"], self[f"add_reason_{n}"]) for n in range(self.add_count)
        ]

    def clean(self):
        cleaned = super().clean()
        action = self.action()
        if action in ("return", "accept"):
            self._clean_items(cleaned, action)
        if action == "accept":
            self._clean_changes(cleaned)
        if action == "reject" and not cleaned.get("note", "").strip():
            self.add_error("note", _("Give the reason for the rejection."))
        return cleaned

    def _clean_items(self, cleaned, action):
        for code in CHECKLIST:
            mark = cleaned.get(f"item_{code}")
            if not mark:
                self.add_error(f"item_{code}", _("Mark this item."))
            elif mark == "no" and not cleaned.get(f"note_{code}", "").strip():
                self.add_error(f"note_{code}", _("Say what the coordinator must fix."))
            elif mark == "no" and action == "accept":
                self.add_error(
                    f"item_{code}",
                    _("This item is not in order: return the registration."),
                )
        if action == "return" and all(
            cleaned.get(f"item_{code}") == "yes" for code in CHECKLIST
        ):
            raise forms.ValidationError(
                _("Every item is in order; accept the registration instead.")
            )

    def _clean_changes(self, cleaned):
        for indicator in self.proposed:
            if (
                cleaned.get(f"remove_{indicator.pk}")
                and not cleaned.get(f"remove_reason_{indicator.pk}", "").strip()
            ):
                self.add_error(
                    f"remove_reason_{indicator.pk}",
                    _("Say why this indicator is removed."),
                )
        seen = set()
        for n in range(self.add_count):
            value = cleaned.get(f"add_{n}")
            if not value:
                continue
            if value in seen:
                self.add_error(f"add_{n}", _("This indicator is added twice."))
            seen.add(value)
            if not cleaned.get(f"add_reason_{n}", "").strip():
                self.add_error(f"add_reason_{n}", _("Say why this indicator is added."))

    def items(self):
        """``{code: (passed, note)}`` for the domain functions; only marked items."""
        return {
            code: (
                self.cleaned_data[f"item_{code}"] == "yes",
                self.cleaned_data.get(f"note_{code}", "").strip(),
            )
            for code in CHECKLIST
            if self.cleaned_data.get(f"item_{code}")
        }

    def removed(self):
        return {
            i: self.cleaned_data[f"remove_reason_{i.pk}"].strip()
            for i in self.proposed
            if self.cleaned_data.get(f"remove_{i.pk}")
        }

    def added(self):
        return {
            self.candidates[self.cleaned_data[f"add_{n}"]]: self.cleaned_data[
                f"add_reason_{n}"
            ].strip()
            for n in range(self.add_count)
            if self.cleaned_data.get(f"add_{n}")
        }


SORTS = {
    "waiting": _("Waiting longest first"),
    "recent": _("Submitted most recently first"),
    "region": _("Region code"),
    "period": _("Period, newest first"),
}


class QueueFilterForm(forms.Form):
    """The admin queue's filters; an unknown value is ignored, not an error."""

    state = forms.ChoiceField(label=_("State"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[
            ("", _("Cities and regencies")),
            (RegionKind.CITY, _("Cities (kota)")),
            (RegionKind.REGENCY, _("Regencies (kabupaten)")),
        ],
    )
    period = forms.TypedChoiceField(
        label=_("Period"), required=False, coerce=int, empty_value=None
    )
    sort = forms.ChoiceField(
        label=_("Sort"), required=False, choices=list(SORTS.items())
    )

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [
            ("", _("All states")),
            *RegistrationState.choices,
        ]
        self.fields["state"].initial = RegistrationState.SUBMITTED
        self.fields["province"].choices = [("", _("All provinces"))] + [
            (p.code, p.name)
            for p in Region.objects.filter(kind=RegionKind.PROVINCE).order_by("code")
        ]
        self.fields["period"].choices = [("", _("All periods"))] + [
            (p, str(p)) for p in periods
        ]

    def filters(self):
        """The valid filters, with the defaults for a first visit."""
        if not self.is_bound:
            return {"state": RegistrationState.SUBMITTED, "sort": "waiting"}
        self.is_valid()
        values = {
            name: self.cleaned_data.get(name)
            for name in ("state", "province", "kind", "period", "sort")
            if name not in self.errors
        }
        values["sort"] = values.get("sort") or "waiting"
        return values
