"""Uploads are checked by content and name, and stored under a random name."""

import hashlib
import re

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from kotacerdas.accounts.models import Role
from kotacerdas.common.audit import events_for
from kotacerdas.common.uploads import (
    EVIDENCE,
    SPREADSHEETS,
    PrivateFileField,
    clean_original_name,
    sniff_kind,
    store_upload,
)
from tests.common.files import (
    ELF,
    MZ,
    docx_bytes,
    pdf_bytes,
    plain_zip_bytes,
    xlsx_bytes,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DOCUMENT_EXTENSIONS = ".doc, .docx, .jpeg, .jpg, .odt, .pdf, .png, .ppt, .xls"
STORAGE_NAME = re.compile(r"uploads/\d{4}/\d{2}/[0-9a-f]{32}\.pdf")


def _upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _refusal(field, upload, language="en"):
    """The code and messages of the refusal, rendered in ``language``.

    The messages are lazy, so they are read inside the language override.
    """
    with translation.override(language):
        with pytest.raises(forms.ValidationError) as caught:
            field.clean(upload)
        return caught.value.code, list(caught.value.messages)


@pytest.fixture
def uploader():
    return UserFactory(full_name="Sri Handayani", roles=[Role.ASSESSOR])


def test_real_pdf_is_accepted_as_pdf():
    upload = _upload("laporan.pdf", pdf_bytes())

    cleaned = PrivateFileField().clean(upload)

    assert cleaned.checked_kind == "pdf"


def test_accepted_pdf_is_stored_under_a_random_name(uploader):
    cleaned = PrivateFileField().clean(_upload("laporan.pdf", pdf_bytes()))

    stored = store_upload(cleaned, user=uploader)

    assert STORAGE_NAME.fullmatch(stored.file.name)
    assert "laporan" not in stored.file.name


def test_two_uploads_of_the_same_name_get_different_storage_names(uploader):
    field = PrivateFileField()
    first = store_upload(field.clean(_upload("a.pdf", pdf_bytes())), user=uploader)

    second = store_upload(field.clean(_upload("a.pdf", pdf_bytes())), user=uploader)

    assert first.file.name != second.file.name


def test_stored_pdf_records_name_size_type_and_sha256(uploader):
    content = pdf_bytes()
    cleaned = PrivateFileField().clean(_upload("laporan.pdf", content))

    stored = store_upload(cleaned, user=uploader)

    assert (stored.original_name, stored.size, stored.content_type) == (
        "laporan.pdf",
        len(content),
        "application/pdf",
    )
    assert stored.sha256 == hashlib.sha256(content).hexdigest()


def test_stored_file_holds_the_uploaded_bytes(uploader, private_storage):
    content = pdf_bytes()

    stored = store_upload(
        PrivateFileField().clean(_upload("laporan.pdf", content)), user=uploader
    )

    with private_storage.open(stored.file.name, "rb") as handle:
        assert handle.read() == content


def test_stored_content_type_comes_from_the_content_not_the_browser(uploader):
    upload = _upload("laporan.pdf", pdf_bytes(), content_type="text/html")

    stored = store_upload(PrivateFileField().clean(upload), user=uploader)

    assert stored.content_type == "application/pdf"


def test_storing_an_upload_writes_an_audit_event(uploader):
    cleaned = PrivateFileField().clean(_upload("laporan.pdf", pdf_bytes()))

    stored = store_upload(cleaned, user=uploader)

    [event] = events_for(stored)
    assert (event.action, event.actor) == ("file.uploaded", uploader)


def test_pdf_renamed_to_exe_is_refused():
    code, messages = _refusal(PrivateFileField(), _upload("laporan.exe", pdf_bytes()))

    assert code == "extension"
    assert messages == [
        f"Files ending in “.exe” are not accepted. Accepted: {DOCUMENT_EXTENSIONS}."
    ]


def test_pdf_renamed_to_exe_is_refused_in_indonesian():
    _code, messages = _refusal(
        PrivateFileField(), _upload("laporan.exe", pdf_bytes()), language="id"
    )

    assert messages == [
        f"Berkas berakhiran “.exe” tidak diterima. Yang diterima: {DOCUMENT_EXTENSIONS}."
    ]


@pytest.mark.parametrize("content", [ELF, MZ], ids=["elf", "mz"])
def test_executable_renamed_to_pdf_is_refused(content):
    code, messages = _refusal(PrivateFileField(), _upload("laporan.pdf", content))

    assert code == "content"
    assert messages == [
        "The content of “laporan.pdf” is not a file of the kind its name says "
        f"(.pdf). Accepted: {DOCUMENT_EXTENSIONS}."
    ]


def test_executable_renamed_to_pdf_is_refused_in_indonesian():
    _code, messages = _refusal(
        PrivateFileField(), _upload("laporan.pdf", ELF), language="id"
    )

    assert messages == [
        "Isi “laporan.pdf” tidak sesuai dengan jenis berkas yang ditunjukkan oleh "
        f"namanya (.pdf). Yang diterima: {DOCUMENT_EXTENSIONS}."
    ]


def test_empty_file_is_refused():
    code, messages = _refusal(PrivateFileField(), _upload("kosong.pdf", b""))

    assert (code, messages) == ("empty", ["The file is empty."])


def test_empty_file_is_refused_in_indonesian():
    _code, messages = _refusal(
        PrivateFileField(), _upload("kosong.pdf", b""), language="id"
    )

    assert messages == ["Berkas kosong."]


def test_file_over_the_limit_is_refused():
    field = PrivateFileField(max_bytes=1024)

    code, messages = _refusal(field, _upload("besar.pdf", b"%PDF-1.4\n" + b"0" * 2039))

    assert code == "too_large"
    assert messages == ["The file is 2.0\xa0KB; the limit is 1.0\xa0KB."]


def test_file_over_the_limit_is_refused_in_indonesian():
    field = PrivateFileField(max_bytes=1024)

    _code, messages = _refusal(
        field, _upload("besar.pdf", b"%PDF-1.4\n" + b"0" * 2039), language="id"
    )

    assert messages == ["Ukuran berkas 2,0\xa0KB; batas maksimumnya 1,0\xa0KB."]


def test_file_exactly_at_the_limit_is_accepted():
    content = b"%PDF-1.4\n" + b"0" * 1015

    cleaned = PrivateFileField(max_bytes=1024).clean(_upload("pas.pdf", content))

    assert cleaned.size == 1024


@pytest.mark.parametrize(
    "name", ["../../etc/laporan.pdf", "..\\..\\windows\\laporan.pdf"]
)
def test_name_with_parent_folders_is_stored_safely(uploader, name):
    cleaned = PrivateFileField().clean(_upload(name, pdf_bytes()))

    stored = store_upload(cleaned, user=uploader)

    assert stored.original_name == "laporan.pdf"
    assert STORAGE_NAME.fullmatch(stored.file.name)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\boot.ini.pdf", "boot.ini.pdf"),
        ("/absolute/path/laporan.pdf", "laporan.pdf"),
        ("lapo\x00ran\n.pdf", "laporan.pdf"),
        ("...", "file"),
    ],
)
def test_clean_original_name_drops_folders_and_control_characters(raw, clean):
    result = clean_original_name(raw)

    assert result == clean


def test_non_ascii_name_is_kept_for_display(uploader):
    name = "Laporan Kinerja – Dinas Kominfo (ringkasan) é 日本.pdf"
    cleaned = PrivateFileField().clean(_upload(name, pdf_bytes()))

    stored = store_upload(cleaned, user=uploader)

    assert stored.original_name == name
    assert stored.file.name.isascii()


def test_minimal_docx_is_accepted_as_docx():
    cleaned = PrivateFileField().clean(_upload("rencana.docx", docx_bytes()))

    assert cleaned.checked_kind == "docx"


def test_stored_docx_gets_the_word_content_type(uploader):
    cleaned = PrivateFileField().clean(_upload("rencana.docx", docx_bytes()))

    stored = store_upload(cleaned, user=uploader)

    assert stored.content_type == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


def test_openpyxl_workbook_is_accepted_as_xlsx():
    field = PrivateFileField(kinds=SPREADSHEETS)

    cleaned = field.clean(_upload("data.xlsx", xlsx_bytes()))

    assert cleaned.checked_kind == "xlsx"


def test_xlsx_is_refused_where_only_documents_are_accepted():
    code, _messages = _refusal(PrivateFileField(), _upload("data.xlsx", xlsx_bytes()))

    assert code == "extension"


def test_docx_renamed_to_xlsx_is_refused():
    field = PrivateFileField(kinds=EVIDENCE)

    code, _messages = _refusal(field, _upload("data.xlsx", docx_bytes()))

    assert code == "content"


def test_plain_zip_renamed_to_docx_is_refused():
    code, _messages = _refusal(
        PrivateFileField(), _upload("rencana.docx", plain_zip_bytes())
    )

    assert code == "content"


def test_name_without_extension_is_refused():
    code, messages = _refusal(PrivateFileField(), _upload("laporan", pdf_bytes()))

    assert code == "extension"
    assert messages == [
        f"Files ending in “laporan” are not accepted. Accepted: {DOCUMENT_EXTENSIONS}."
    ]


def test_upper_case_extension_is_accepted():
    cleaned = PrivateFileField().clean(_upload("LAPORAN.PDF", pdf_bytes()))

    assert cleaned.checked_kind == "pdf"


def test_sniff_kind_leaves_the_file_at_its_start():
    upload = _upload("rencana.docx", docx_bytes())

    sniff_kind(upload)

    assert upload.tell() == 0


def test_field_tells_the_browser_what_it_accepts():
    field = PrivateFileField(kinds=SPREADSHEETS)

    html = field.widget.render("file", None)

    assert 'accept=".ods,.xlsx"' in html


def test_store_upload_refuses_a_file_the_field_did_not_check(uploader):
    with pytest.raises(ValueError, match="only files checked by PrivateFileField"):
        store_upload(_upload("x.pdf", ELF), user=uploader)
