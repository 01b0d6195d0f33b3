from django import forms
from django.contrib.auth import password_validation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.models import User


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    agency = forms.CharField(label=_("Agency (OPD)"), max_length=150)
    position = forms.CharField(label=_("Position"), max_length=150)
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=[("id", _("Indonesian")), ("en", _("English"))],
        initial="id",
    )


class MemberForm(forms.Form):
    agency = forms.CharField(label=_("Agency (OPD)"), max_length=150)
    position = forms.CharField(label=_("Position"), max_length=150)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AcceptInvitationForm(forms.Form):
    """The invitee's name and password, checked by Django's password validators."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=lazy(
            lambda: " ".join(password_validation.password_validators_help_texts()),
            str,
        )(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            # Compare with what the account will hold, as the validators expect.
            candidate = User(
                email=self.invitation.email, full_name=cleaned.get("full_name", "")
            )
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
