"""What the region changed in a response since a clarification was asked.

A clarification freezes the responses it reopens (``Clarification.snapshot``)
at its opening; the diff compares that frozen copy with the response as it is
now, so that it still holds however many times the region saved in between.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

# The region's maturity fields, in the order the filling page shows them.
MATURITY_FIELDS = (
    "data_year",
    "numerator",
    "denominator",
    "direct_value",
    "source",
    "method",
    "solution",
    "self_level",
    "justification",
)


def _maturity_snapshot(response):
    """The maturity figures of one response as text ("" for empty)."""
    from kotacerdas.maturity.models import MaturityData
    from kotacerdas.maturity.values import plain

    data = MaturityData.objects.filter(response=response).first()
    snapshot = {}
    for name in MATURITY_FIELDS:
        value = getattr(data, name, None) if data is not None else None
        if value is None:
            snapshot[name] = ""
        elif name in ("numerator", "denominator", "direct_value"):
            snapshot[name] = plain(value)
        else:
            snapshot[name] = str(value)
    return snapshot


def _field_label(name):
    from kotacerdas.maturity.models import MaturityData

    label = str(MaturityData._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def snapshot_response(response):
    """Answers (or, in a maturity stage, figures) and evidence of one response
    as plain data."""
    answers = {
        answer.criterion: {"answer": answer.answer, "explanation": answer.explanation}
        for answer in response.readiness_answers.all()
    }
    evidence = [
        {
            "label": item.label,
            "url": item.url,
            "file": item.file.original_name if item.file_id else "",
            "sha256": item.file.sha256 if item.file_id else "",
        }
        for item in response.evidence.select_related("file").order_by("added_at", "id")
    ]
    snapshot = {"answers": answers, "evidence": evidence}
    if response.stage.stage == "maturity":
        snapshot["maturity"] = _maturity_snapshot(response)
    return snapshot


@dataclass(frozen=True)
class Change:
    # "answer", "explanation", "field" (a maturity figure, ``criterion`` is its
    # label), "evidence_added", "evidence_removed"
    what: str
    criterion: str
    before: str
    after: str

    def __str__(self):
        if self.what == "answer":
            return _("%(code)s answer: “%(before)s” → “%(after)s”") % {
                "code": self.criterion,
                "before": self.before or "—",
                "after": self.after or "—",
            }
        if self.what == "explanation":
            return _("%(code)s explanation: “%(before)s” → “%(after)s”") % {
                "code": self.criterion,
                "before": self.before or "—",
                "after": self.after or "—",
            }
        if self.what == "field":
            return _("%(field)s: %(before)s → %(after)s") % {
                "field": self.criterion,
                "before": self.before or "—",
                "after": self.after or "—",
            }
        if self.what == "evidence_added":
            return _("Evidence added: %(item)s") % {"item": self.after}
        return _("Evidence removed: %(item)s") % {"item": self.before}


def _evidence_key(item):
    return (item["label"], item["url"], item["sha256"])


def _evidence_text(item):
    return f"{item['label']} ({item['file'] or item['url']})"


def response_diff(response, since):
    """The changes to ``response`` since the clarification ``since`` was opened.

    Criteria in their methodology order (in a maturity stage: the figures in
    the page's order), then evidence removed and added. An
    indicator the clarification did not reopen has no snapshot and no changes.
    """
    before = since.snapshot.get(str(response.indicator_id))
    if before is None:
        return []
    now = snapshot_response(response)
    order = [
        c["code"] for c in response.stage.methodology.document["readiness"]["criteria"]
    ]
    changes = []
    for code in order:
        old = before["answers"].get(code, {})
        new = now["answers"].get(code, {})
        for field in ("answer", "explanation"):
            if old.get(field, "") != new.get(field, ""):
                changes.append(
                    Change(field, code, old.get(field, ""), new.get(field, ""))
                )

    old_fields = before.get("maturity", {})
    new_fields = now.get("maturity", {})
    for name in MATURITY_FIELDS:
        if old_fields.get(name, "") != new_fields.get(name, ""):
            changes.append(
                Change(
                    "field",
                    _field_label(name),
                    old_fields.get(name, ""),
                    new_fields.get(name, ""),
                )
            )

    old_items = {_evidence_key(item): item for item in before["evidence"]}
    new_items = {_evidence_key(item): item for item in now["evidence"]}
    for key, item in old_items.items():
        if key not in new_items:
            changes.append(Change("evidence_removed", "", _evidence_text(item), ""))
    for key, item in new_items.items():
        if key not in old_items:
            changes.append(Change("evidence_added", "", "", _evidence_text(item)))
    return changes
