from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kotacerdas.common.uploads import PrivateFileField


class LookupForm(forms.Form):
    number = forms.CharField(
        label=_("Certificate number"),
        max_length=20,
        help_text=_("As printed on the certificate, e.g. TRN-2026-0001."),
    )

    def clean_number(self):
        return self.cleaned_data["number"].strip().upper()


class GenuineCheckForm(forms.Form):
    """A PDF to compare with the one issued; it is hashed, never stored."""

    file = PrivateFileField(
        label=_("Certificate PDF to check"),
        kinds={"pdf"},
        max_bytes=settings.CERTIFICATE_CHECK_MAX_BYTES,
    )


class StatusChangeForm(forms.Form):
    ACTIONS = {
        "suspend": _("Suspend"),
        "reinstate": _("Reinstate"),
        "revoke": _("Revoke"),
    }

    action = forms.ChoiceField(label=_("Change"), choices=())
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Shown on the public verification page."),
    )

    def __init__(self, *args, certificate, **kwargs):
        super().__init__(*args, **kwargs)
        available = {
            transition.name
            for transition in certificate.get_available_state_transitions()
        }
        self.fields["action"].choices = [
            (name, label) for name, label in self.ACTIONS.items() if name in available
        ]


class IssueReadinessForm(forms.Form):
    valid_until = forms.DateField(
        label=_("Valid until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("By default the end of the next assessment period."),
    )


class RegistryFilterForm(forms.Form):
    """The public registry's filters; a bad value is ignored, never an error page."""

    provinsi = forms.ModelChoiceField(
        label=_("Province"), queryset=None, required=False, empty_label=_("All")
    )
    jenis = forms.ChoiceField(label=_("Kind"), required=False)
    tahun = forms.TypedChoiceField(
        label=_("Year of issue"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, years=(), **kwargs):
        from kotacerdas.certificates.models import CertificateKind
        from kotacerdas.regions.models import Region, RegionKind

        super().__init__(*args, **kwargs)
        self.fields["provinsi"].queryset = Region.objects.filter(
            kind=RegionKind.PROVINCE
        ).order_by("name")
        self.fields["jenis"].choices = [
            ("", _("All")),
            *[(k, label) for k, label in CertificateKind.choices if k != "training"],
        ]
        self.fields["tahun"].choices = [("", _("All"))] + [
            (year, str(year)) for year in years
        ]
