import rules

from kotacerdas.accounts.rules import belongs_to_region_of, is_admin


@rules.predicate
def uploaded_it(user, stored_file):
    return stored_file is not None and stored_file.uploaded_by_id == user.pk


# Later features widen this (an assessor assigned to the stage the file is
# evidence for); each such predicate joins this rule, never a view.
rules.add_perm("common.view_storedfile", is_admin | uploaded_it | belongs_to_region_of)
