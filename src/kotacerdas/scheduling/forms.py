"""Forms of the schedule pages.

Times are typed in the region's zone: the views activate that zone while they
bind, validate and render these forms, so Django's DateTimeField reads and
shows local times and stores UTC.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.models import Role, User
from kotacerdas.regions.models import Region
from kotacerdas.scheduling.models import EventKind, event_problems

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=LOCAL_FORMAT)


def local_datetime_field(label, **kwargs):
    return forms.DateTimeField(
        label=label,
        widget=LocalDateTimeInput(),
        input_formats=[LOCAL_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        **kwargs,
    )


class WindowForm(forms.Form):
    opens_at = local_datetime_field(_("Opens at"))
    closes_at = local_datetime_field(_("Closes at"))

    def clean(self):
        data = super().clean()
        opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("The window must close after it opens."))
        return data


class ExtendWindowForm(forms.Form):
    new_closes_at = local_datetime_field(_("New closing time"))
    reason = forms.CharField(
        label=_("Reason for the extension"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The coordinator and the team read it in their notification."),
    )

    def __init__(self, *args, window=None, **kwargs):
        self.window = window
        super().__init__(*args, **kwargs)

    def clean_new_closes_at(self):
        value = self.cleaned_data["new_closes_at"]
        if self.window is not None and value <= self.window.closes_at:
            raise ValidationError(
                _("An extension must close later than the current closing time.")
            )
        return value


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    starts_at = local_datetime_field(_("Starts at"))
    ends_at = local_datetime_field(_("Ends at"))
    place = forms.CharField(
        label=_("Place"),
        max_length=255,
        required=False,
        help_text=_("Address or room, for a site visit or a meeting in person."),
    )
    online_url = forms.URLField(
        label=_("Online meeting link"),
        max_length=500,
        required=False,
        help_text=_("For an online interview or review meeting."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    @classmethod
    def for_event(cls, event, data=None):
        initial = {name: getattr(event, name) for name in cls.base_fields}
        return cls(data, initial=initial)

    def clean(self):
        data = super().clean()
        problems = event_problems(
            data.get("kind"),
            data.get("starts_at"),
            data.get("ends_at"),
            data.get("place", ""),
            data.get("online_url", ""),
        )
        for name, message in problems.items():
            if name not in self.errors:
                self.add_error(name, message)
        return data


class CancelEventForm(forms.Form):
    event = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason for the cancellation"), max_length=500)


class AssessorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.full_name} ({user.email})"


def assessors():
    return (
        User.objects.filter(roles__role=Role.ASSESSOR, is_active=True)
        .distinct()
        .order_by("full_name", "email")
    )


class AssignForm(forms.Form):
    assessor = AssessorChoiceField(
        label=_("Assessor"), queryset=assessors(), empty_label=_("Choose an assessor")
    )
    is_lead = forms.BooleanField(label=_("Lead assessor"), required=False)
    acknowledge_warnings = forms.BooleanField(
        label=_("I have read the warnings and assign this assessor anyway"),
        required=False,
    )

    def __init__(self, *args, exclude=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Assessors already on the team are not offered again.
        self.fields["assessor"].queryset = assessors().exclude(pk__in=exclude)


class ConflictDeclarationForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.assessable().order_by("code"),
        empty_label=_("Choose the region"),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: you worked for its government, or a relative works there."
        ),
    )
