"""Idempotent loading of reference data from files kept in the repository."""

from dataclasses import dataclass


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self):
        return (
            f"{self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )


def upsert(model, lookup, values, existing, report):
    """Create or update one row so that it holds ``values``; count what happened.

    ``existing`` maps lookup values to rows already loaded, so a reload asks the
    database once per table instead of once per row.
    """
    row = existing.get(lookup)
    if row is None:
        row = model.objects.create(**values)
        report.created += 1
        return row

    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if not changed:
        report.unchanged += 1
        return row

    for name in changed:
        setattr(row, name, values[name])
    row.save(update_fields=changed)
    report.updated += 1
    return row
