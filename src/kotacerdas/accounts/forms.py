from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.models import User


class EmailLoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "That e-mail address and password do not match an active account. "
            "Both are case-sensitive except the e-mail address."
        ),
    }


def lockout_username(request, credentials=None):
    """The account a login attempt counts against, for django-axes.

    E-mail addresses log in whatever their case, so failures are counted in lower
    case too: otherwise ``Budi@…`` and ``budi@…`` would each get their own
    allowance of failed attempts.
    """
    source = credentials or getattr(request, "data", request.POST)
    username = (source.get("username") or "").strip().lower()
    return username or None


class LocalizedPasswordResetForm(PasswordResetForm):
    """Sends the reset link in the language the account holder chose."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        with translation.override(context["user"].preferred_language):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "phone", "agency", "position", "preferred_language"]
