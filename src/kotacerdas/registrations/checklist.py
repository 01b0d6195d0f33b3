"""The completeness checklist of SPEC §5.2, and what blocks a submission."""

from django.utils.translation import gettext_lazy as _

# code -> what the admin confirms. The order is the order on the checklist.
CHECKLIST = {
    "application_letter": _(
        "Application letter signed by the head of region is present and legible"
    ),
    "team_decree": _("Decree forming the smart city team is present and legible"),
    "implementation_plan": _("Indicator implementation plan is present and legible"),
    "team_complete": _("The team is complete, with agency and position for each"),
    "trainings": _("The team's trainings meet the methodology's rules"),
    "indicator_count": _("The number of indicators is within the methodology's bounds"),
}

# Other apps add checks of their own (the training app checks the team's
# trainings); each takes a registration and returns (blocking, warnings) lists
# of translated messages.
SUBMISSION_CHECKS = []


def register_submission_check(check):
    SUBMISSION_CHECKS.append(check)
    return check


def submission_problems(registration):
    """What stops the coordinator from submitting, and what only warns.

    Returns ``(blocking, warnings)``, two lists of translated messages.
    """
    blocking = []
    warnings = []
    bounds = registration.methodology.document["registration"]

    missing = [
        registration._meta.get_field(name).verbose_name
        for name in registration.DOCUMENT_FIELDS
        if getattr(registration, f"{name}_id") is None
    ]
    for label in missing:
        blocking.append(_("Upload the %(document)s.") % {"document": label})

    count = registration.proposed_indicators.count()
    if not bounds["min_indicators"] <= count <= bounds["max_indicators"]:
        blocking.append(
            _(
                "Propose between %(min)s and %(max)s indicators; %(count)s are "
                "chosen now."
            )
            % {
                "min": bounds["min_indicators"],
                "max": bounds["max_indicators"],
                "count": count,
            }
        )

    team = list(registration.team.all())
    if not team:
        blocking.append(_("Add at least one team member."))
    for member in team:
        if not (member.agency and member.position):
            blocking.append(
                _("Give the agency and position of %(name)s.")
                % {"name": member.full_name}
            )
    if not (registration.contact_name and registration.contact_phone):
        blocking.append(_("Give the contact person and their phone number."))

    for check in SUBMISSION_CHECKS:
        more_blocking, more_warnings = check(registration)
        blocking.extend(more_blocking)
        warnings.extend(more_warnings)
    return blocking, warnings


def automatic_hints(registration, *, team=None, indicator_count=None):
    """What the product can tell the admin about each checklist item.

    Returns ``{code: (ok, message)}`` with ``ok`` True, False or None (nothing
    to say by machine, e.g. whether a letter is legible). The admin still marks
    every item; the hints only save them looking things up.
    """
    bounds = registration.methodology.document["registration"]
    hints = {}
    for name in registration.DOCUMENT_FIELDS:
        stored = getattr(registration, name)
        hints[name] = (
            (
                True,
                _("Present: %(name)s. Open it to check it is legible.")
                % {"name": stored.original_name},
            )
            if stored is not None
            else (False, _("Missing."))
        )

    team = list(registration.team.all()) if team is None else list(team)
    incomplete = [m.full_name for m in team if not (m.agency and m.position)]
    if not team:
        hints["team_complete"] = (False, _("No team member."))
    elif incomplete:
        hints["team_complete"] = (
            False,
            _("Without agency or position: %(names)s.")
            % {"names": ", ".join(incomplete)},
        )
    else:
        hints["team_complete"] = (
            True,
            _("%(count)s members, each with agency and position.")
            % {"count": len(team)},
        )

    hints["trainings"] = (None, _("See the training columns of the team table."))

    count = (
        registration.proposed_indicators.count()
        if indicator_count is None
        else indicator_count
    )
    within = bounds["min_indicators"] <= count <= bounds["max_indicators"]
    hints["indicator_count"] = (
        within,
        _("%(count)s proposed; the methodology allows %(min)s–%(max)s.")
        % {
            "count": count,
            "min": bounds["min_indicators"],
            "max": bounds["max_indicators"],
        },
    )
    return hints
