from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.models import Role, User
from kotacerdas.common.uploads import DOCUMENTS, PrivateFileField


def region_people(region):
    """Active participants and team members of ``region``, by name."""
    return (
        User.objects.filter(
            region=region,
            is_active=True,
            roles__role__in=[Role.PARTICIPANT, Role.REGION_MEMBER],
        )
        .distinct()
        .order_by("full_name")
    )


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.full_name} — {user.agency}" if user.agency else user.full_name


class ReadinessRecordForm(forms.Form):
    user = MemberChoiceField(label=_("Team member"), queryset=User.objects.none())
    provider = forms.CharField(
        label=_("Provider"), max_length=200, initial="Litbang Kemkominfo"
    )
    completed_on = forms.DateField(
        label=_("Date of the training"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    certificate_number = forms.CharField(label=_("Certificate number"), max_length=100)
    certificate = PrivateFileField(
        label=_("Certificate from the ministry"), kinds=DOCUMENTS
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        if actor.has_role(Role.PARTICIPANT):
            self.fields["user"].queryset = region_people(actor.region)
        else:
            self.fields["user"].queryset = User.objects.filter(pk=actor.pk)
            self.fields["user"].initial = actor.pk
            self.fields["user"].widget = forms.HiddenInput()

    def clean_completed_on(self):
        value = self.cleaned_data["completed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(
                _("The date of the training cannot be in the future.")
            )
        return value


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The team member reads this reason."),
    )


class ReferralRequestForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=User.objects.none(), widget=forms.HiddenInput()
    )
    note = forms.CharField(
        label=_("Note for the institute"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        if actor.has_role(Role.PARTICIPANT):
            self.fields["user"].queryset = region_people(actor.region)
        else:
            self.fields["user"].queryset = User.objects.filter(pk=actor.pk)


class ReferralMoveForm(forms.Form):
    ACTIONS = {
        "send": _("Sent to the ministry"),
        "enrol": _("Enrolled by the ministry"),
        "complete": _("Completed"),
        "cancel": _("Cancel"),
    }

    action = forms.ChoiceField(label=_("Next step"), choices=())
    reason = forms.CharField(
        label=_("Reason (when cancelling)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        available = {t.name for t in referral.get_available_state_transitions()}
        self.fields["action"].choices = [
            (name, label) for name, label in self.ACTIONS.items() if name in available
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "cancel" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for cancelling."))
        return cleaned


class EnrolForm(forms.Form):
    user = MemberChoiceField(label=_("Team member"), queryset=User.objects.none())

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates
