from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.accounts.models import Role, User
from kotacerdas.appeals.models import Outcome
from kotacerdas.common.uploads import DOCUMENTS, PrivateFileField


class FileAppealForm(forms.Form):
    grounds = forms.CharField(label=_("Grounds of the appeal"), widget=forms.Textarea)
    document = PrivateFileField(
        kinds=DOCUMENTS, required=False, label=_("Supporting document")
    )


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(label=_("Handler"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = (
            User.objects.filter(
                roles__role__in=[Role.ASSESSOR, Role.ADMIN], is_active=True
            )
            .distinct()
            .order_by("full_name")
        )


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    note = forms.CharField(label=_("Reasons"), widget=forms.Textarea)
