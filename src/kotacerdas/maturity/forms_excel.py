"""Forms of the spreadsheet round trip: the upload and its confirmation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.common.uploads import PrivateFileField


class SpreadsheetField(PrivateFileField):
    """An ``.xlsx`` file, checked by its content like every upload.

    The messages name the template, so that whoever uploads a PDF or a CSV
    learns what to upload instead.
    """

    default_error_messages = {
        "extension": _(
            "Files ending in “%(extension)s” are not accepted: upload the Excel "
            "workbook (.xlsx) downloaded from this page."
        ),
        "content": _(
            "“%(name)s” is not an Excel workbook, although its name ends in "
            "%(extension)s. Upload the template downloaded from this page, "
            "filled in and saved as .xlsx."
        ),
    }

    def __init__(self, **kwargs):
        super().__init__(kinds={"xlsx"}, **kwargs)


class UploadForm(forms.Form):
    file = SpreadsheetField(label=_("Filled-in template"))


class ConfirmForm(forms.Form):
    """The preview's confirmation; ``token`` names the preview kept in the
    session and ``sha256`` the file it was made from."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)
