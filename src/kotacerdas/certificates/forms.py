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
