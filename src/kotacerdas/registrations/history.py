"""What changed between two submission rounds, read from their snapshots.

Each round keeps a snapshot of what was submitted (see services.snapshot), so
the comparison still holds after the form, the team or the files have changed.
"""

from dataclasses import dataclass, field

CONTACT_FIELDS = ("name", "phone", "email")


@dataclass
class RoundChanges:
    indicators_added: list = field(default_factory=list)
    indicators_removed: list = field(default_factory=list)
    # [(document field, old name, new name)] for each document whose content
    # (SHA-256) differs, or that appeared or disappeared.
    documents_replaced: list = field(default_factory=list)
    team_added: list = field(default_factory=list)
    team_removed: list = field(default_factory=list)
    # [(name, what, old, new)] for members in both rounds whose agency or
    # position changed.
    team_changed: list = field(default_factory=list)
    # [(contact field, old, new)]
    contact_changed: list = field(default_factory=list)

    def __bool__(self):
        return any(
            (
                self.indicators_added,
                self.indicators_removed,
                self.documents_replaced,
                self.team_added,
                self.team_removed,
                self.team_changed,
                self.contact_changed,
            )
        )


def compare_snapshots(previous, current):
    """The changes from the ``previous`` round's snapshot to the ``current`` one."""
    changes = RoundChanges()

    old = set(previous.get("indicators", []))
    new = set(current.get("indicators", []))
    changes.indicators_added = [
        c for c in current.get("indicators", []) if c not in old
    ]
    changes.indicators_removed = [
        c for c in previous.get("indicators", []) if c not in new
    ]

    old_docs = previous.get("documents", {})
    new_docs = current.get("documents", {})
    for name in sorted(set(old_docs) | set(new_docs)):
        before, after = old_docs.get(name), new_docs.get(name)
        if (before or {}).get("sha256") != (after or {}).get("sha256"):
            changes.documents_replaced.append(
                (name, (before or {}).get("name", ""), (after or {}).get("name", ""))
            )

    old_team = {m["id"]: m for m in previous.get("team", [])}
    new_team = {m["id"]: m for m in current.get("team", [])}
    changes.team_added = [m["name"] for i, m in new_team.items() if i not in old_team]
    changes.team_removed = [m["name"] for i, m in old_team.items() if i not in new_team]
    for member_id, member in new_team.items():
        before = old_team.get(member_id)
        if before is None:
            continue
        for what in ("agency", "position"):
            if before.get(what, "") != member.get(what, ""):
                changes.team_changed.append(
                    (member["name"], what, before.get(what, ""), member.get(what, ""))
                )

    old_contact = previous.get("contact", {})
    new_contact = current.get("contact", {})
    for name in CONTACT_FIELDS:
        if old_contact.get(name, "") != new_contact.get(name, ""):
            changes.contact_changed.append(
                (name, old_contact.get(name, ""), new_contact.get(name, ""))
            )
    return changes


def rounds_with_changes(rounds):
    """Attach ``changes`` (against the round before, or None for the first) to
    each round, in round order."""
    rounds = sorted(rounds, key=lambda r: r.number)
    previous = None
    for current in rounds:
        current.changes = (
            compare_snapshots(previous.snapshot, current.snapshot)
            if previous is not None
            else None
        )
        previous = current
    return rounds
