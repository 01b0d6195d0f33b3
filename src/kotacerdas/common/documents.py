""" "My documents": a logged-in user's own uploads in private storage.

Later features attach files to registrations and evidence; this page is the
general place where a user keeps and fetches the files they uploaded.
"""

import logging

from django import forms
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kotacerdas.common.models import StoredFile
from kotacerdas.common.notifications import notify
from kotacerdas.common.uploads import DOCUMENTS, PrivateFileField, store_upload

logger = logging.getLogger(__name__)


class DocumentUploadForm(forms.Form):
    file = PrivateFileField(label=_("Document"), kinds=DOCUMENTS)


def documents_of(user):
    """The files ``user`` uploaded, newest first."""
    return StoredFile.objects.filter(uploaded_by=user).order_by("-created_at")


@transaction.atomic
def upload_document(uploaded, *, user):
    """Keep a document that ``DocumentUploadForm`` accepted, in the user's region.

    Side effects: the file in private storage, a StoredFile row, the
    ``file.uploaded`` audit event, and a notification to the uploader that is
    e-mailed once the transaction commits.
    """
    stored = store_upload(uploaded, user=user, region=user.region)
    notify(
        [user],
        action="file.uploaded",
        subject=_("Document received: %(name)s"),
        body=_(
            "We have stored your document “%(name)s” (%(size)s). "
            "You can download it from My documents at any time."
        ),
        params={"name": stored.original_name, "size": filesizeformat(stored.size)},
        url=reverse("common:documents"),
    )
    logger.info("user %s uploaded document %s", user.pk, stored.pk)
    return stored
