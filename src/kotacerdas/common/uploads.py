"""Checking uploads by their content, and keeping them in private storage.

A file is accepted only when its first bytes say it is one of the allowed kinds
AND its extension names that same kind: a PDF called ``report.exe`` and a program
called ``report.pdf`` are both refused.
"""

import hashlib
import logging
import unicodedata
import zipfile
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from kotacerdas.common.audit import record
from kotacerdas.common.models import StoredFile

logger = logging.getLogger(__name__)

# kind -> (content type, extensions that may carry it)
KINDS = {
    "pdf": ("application/pdf", {".pdf"}),
    "png": ("image/png", {".png"}),
    "jpeg": ("image/jpeg", {".jpg", ".jpeg"}),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        {".docx"},
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        {".xlsx"},
    ),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        {".pptx"},
    ),
    "odt": ("application/vnd.oasis.opendocument.text", {".odt"}),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", {".ods"}),
    "ole": ("application/x-ole-storage", {".doc", ".xls", ".ppt"}),
}
DOCUMENTS = frozenset({"pdf", "docx", "odt", "ole", "png", "jpeg"})
SPREADSHEETS = frozenset({"xlsx", "ods"})
EVIDENCE = frozenset(KINDS)

_OOXML_PARTS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
_ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}


def _zip_kind(fileobj):
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                return _ODF_TYPES.get(archive.read("mimetype").strip())
            if "[Content_Types].xml" in names:
                for prefix, kind in _OOXML_PARTS.items():
                    if any(name.startswith(prefix) for name in names):
                        return kind
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def sniff_kind(fileobj):
    """Name the kind of file by its content, or None when it is none we accept."""
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    kind = None
    if head.startswith(b"%PDF-"):
        kind = "pdf"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif head.startswith(b"\xff\xd8\xff"):
        kind = "jpeg"
    elif head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        kind = "ole"
    elif head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(fileobj)
        fileobj.seek(0)
    return kind


def clean_original_name(name):
    """The user's file name without folders or control characters, for display."""
    base = PurePath(name.replace("\\", "/")).name
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    return base.strip(" .")[:200] or "file"


def _describe_kinds(kinds):
    extensions = sorted({ext for kind in kinds for ext in KINDS[kind][1]})
    return ", ".join(extensions)


class PrivateFileField(forms.FileField):
    """A file field that checks size and content and knows what it accepts."""

    default_error_messages = {
        "empty": _("The file is empty."),
        "too_large": _("The file is %(size)s; the limit is %(limit)s."),
        "extension": _(
            "Files ending in “%(extension)s” are not accepted. Accepted: %(allowed)s."
        ),
        "content": _(
            "The content of “%(name)s” is not a file of the kind its name says "
            "(%(extension)s). Accepted: %(allowed)s."
        ),
    }

    def __init__(self, *, kinds=DOCUMENTS, max_bytes=None, **kwargs):
        self.kinds = frozenset(kinds)
        self.max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
        kwargs.setdefault(
            "help_text",
            _("%(allowed)s, at most %(limit)s.")
            % {
                "allowed": _describe_kinds(self.kinds),
                "limit": filesizeformat(self.max_bytes),
            },
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault(
            "accept", ",".join(sorted({e for k in self.kinds for e in KINDS[k][1]}))
        )

    def to_python(self, data):
        uploaded = super().to_python(data)
        if uploaded is None:
            return None

        if uploaded.size == 0:
            raise forms.ValidationError(self.error_messages["empty"], code="empty")
        if uploaded.size > self.max_bytes:
            raise forms.ValidationError(
                self.error_messages["too_large"],
                code="too_large",
                params={
                    "size": filesizeformat(uploaded.size),
                    "limit": filesizeformat(self.max_bytes),
                },
            )

        allowed = _describe_kinds(self.kinds)
        name = clean_original_name(uploaded.name)
        extension = PurePath(name).suffix.lower()
        named_kinds = {k for k in self.kinds if extension in KINDS[k][1]}
        if not named_kinds:
            raise forms.ValidationError(
                self.error_messages["extension"],
                code="extension",
                params={"extension": extension or name, "allowed": allowed},
            )
        kind = sniff_kind(uploaded)
        if kind not in named_kinds:
            raise forms.ValidationError(
                self.error_messages["content"],
                code="content",
                params={"name": name, "extension": extension, "allowed": allowed},
            )

        uploaded.checked_kind = kind
        uploaded.clean_name = name
        return uploaded


def _sha256(fileobj):
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


@transaction.atomic
def store_upload(uploaded, *, user, region=None):
    """Keep a file that ``PrivateFileField`` accepted.

    Side effects: writes the file to private storage under a random name, a
    StoredFile row and an audit event.
    """
    kind = getattr(uploaded, "checked_kind", None) or sniff_kind(uploaded)
    if kind is None:
        raise ValueError("store_upload takes only files checked by PrivateFileField")

    stored = StoredFile(
        original_name=getattr(uploaded, "clean_name", None)
        or clean_original_name(uploaded.name),
        content_type=KINDS[kind][0],
        size=uploaded.size,
        sha256=_sha256(uploaded),
        uploaded_by=user,
        region=region,
    )
    # The file reaches storage before the row; if the transaction then rolls
    # back, an unreferenced file is left behind. That wastes space but loses
    # nothing, and it is preferable to a row that points at a missing file.
    stored.file.save(stored.original_name, uploaded, save=False)
    stored.save()
    record(actor=user, action="file.uploaded", obj=stored)
    return stored
