"""The region's side of the maturity stage (steps 8 and 9).

``continue_to_maturity`` is the coordinator's explicit step from a passed
readiness stage; the admin then schedules the window and the team (step 4's
pages) and opens the stage with ``assessments.services.open_stage``. The
functions here save the region's figures per indicator, copy the previous
period's forward and list what is missing before submission; submission,
assignment, evidence and clarifications are the shared stage functions of
``assessments.services``.
"""

import datetime
import logging
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.accounts.models import Role, User
from kotacerdas.assessments.models import Decision, StageRecord, StageState
from kotacerdas.assessments.services import _lock_response
from kotacerdas.common.audit import record, register_actions
from kotacerdas.common.notifications import notify
from kotacerdas.common.workflow import WorkflowError, lock, require
from kotacerdas.maturity.models import MaturityData
from kotacerdas.maturity.values import needs_denominator
from kotacerdas.scheduling.models import Stage

logger = logging.getLogger(__name__)

register_actions(
    {
        "stage.continued": gettext_lazy("continued to the maturity stage"),
        "stage.data_copied": gettext_lazy("copied the previous period's data"),
    }
)

NUMBER_FIELDS = ("numerator", "denominator", "direct_value")
TEXT_FIELDS = ("source", "method", "solution", "justification")
FIELDS = ("data_year", *NUMBER_FIELDS, "self_level", *TEXT_FIELDS)
# Largest magnitude a figure may have: the fields keep 16 digits before the
# decimal point.
_LIMIT = Decimal(10) ** 16


class DataError(WorkflowError):
    """Figures that cannot be saved; ``errors`` is ``{field: message}``."""

    def __init__(self, errors):
        super().__init__(" ".join(errors.values()))
        self.errors = errors


def readiness_stage(registration):
    return StageRecord.objects.filter(
        registration=registration, stage=Stage.READINESS
    ).first()


def continue_refusal(registration):
    """Why the registration cannot continue to the maturity stage, or None."""
    readiness = readiness_stage(registration)
    if readiness is None or not (
        readiness.state == StageState.DECIDED and readiness.decision == Decision.PASSED
    ):
        return _("The maturity stage follows a passed readiness stage.")
    if StageRecord.objects.filter(
        registration=registration, stage=Stage.MATURITY
    ).exists():
        return _("The registration has already continued to the maturity stage.")
    return None


@transaction.atomic
def continue_to_maturity(registration, *, actor):
    """The coordinator's step from a passed readiness stage to the maturity stage.

    Side effects: a maturity StageRecord (not open), an audit event on it, a
    notification to the admins to schedule the stage.
    """
    require(actor, "maturity.continue_to_maturity", registration)
    registration = lock(registration)
    refusal = continue_refusal(registration)
    if refusal:
        raise WorkflowError(refusal)

    stage = StageRecord.objects.create(registration=registration, stage=Stage.MATURITY)
    record(
        actor=actor,
        action="stage.continued",
        obj=stage,
        to_state=stage.state,
    )
    notify(
        User.objects.filter(roles__role=Role.ADMIN, is_active=True).distinct(),
        action="stage.continued",
        subject=gettext_lazy("Continues to maturity: %(region)s"),
        body=gettext_lazy(
            "%(region)s continues to the maturity stage of period %(period)s. "
            "Set its data-entry window and assessor team, then open it."
        ),
        params={"region": str(registration.region), "period": registration.period},
    )
    return stage


def create_data_rows(stage):
    """One empty MaturityData per response; called when the stage opens."""
    MaturityData.objects.bulk_create(
        [MaturityData(response=response) for response in stage.responses.all()],
        ignore_conflicts=True,
    )


def _decimal(value):
    if value is None or value == "":
        return None
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(str(value))
    else:
        try:
            number = Decimal(str(value).strip().replace(" ", ""))
        except InvalidOperation:
            raise ValueError from None
    if not number.is_finite() or abs(number) >= _LIMIT:
        raise ValueError
    return number.quantize(Decimal("0.0001"))


def clean_fields(indicator, fields):
    """Check and convert ``fields`` for ``indicator``: ``(values, errors)``.

    Shared by the filling page and the Excel import, so both refuse the same
    input with the same words. Numbers may be Decimals, ints or text with a
    point as the decimal separator; forms and the spreadsheet reader turn the
    user's notation into that first.
    """
    values, errors = {}, {}
    unknown = set(fields) - set(FIELDS)
    if unknown:
        errors["__all__"] = _("Unknown fields: %(names)s.") % {
            "names": ", ".join(sorted(unknown))
        }

    for name in NUMBER_FIELDS:
        if name not in fields:
            continue
        try:
            values[name] = _decimal(fields[name])
        except ValueError:
            errors[name] = _("Enter a number.")
    with_denominator = needs_denominator(indicator)
    if with_denominator and values.get("direct_value") is not None:
        errors["direct_value"] = _(
            "This indicator's value is computed from numerator and denominator."
        )
    if not with_denominator and any(
        values.get(name) is not None for name in ("numerator", "denominator")
    ):
        errors["numerator"] = _(
            "This indicator has no denominator: give its value directly."
        )

    if "data_year" in fields:
        year = fields["data_year"]
        this_year = timezone.localdate().year
        try:
            year = None if year in (None, "") else int(str(year).strip())
        except ValueError:
            errors["data_year"] = _("Enter a year such as %(year)s.") % {
                "year": this_year - 1
            }
        else:
            if year is not None and not 2000 <= year <= this_year:
                errors["data_year"] = _(
                    "The data year must lie between 2000 and %(year)s."
                ) % {"year": this_year}
            values["data_year"] = year

    if "self_level" in fields:
        level = fields["self_level"]
        try:
            level = None if level in (None, "") else int(str(level).strip())
        except ValueError:
            level = 0
        if level is not None and not 1 <= level <= 5:
            errors["self_level"] = _("Choose a level from 1 to 5.")
        values["self_level"] = level

    for name in TEXT_FIELDS:
        if name in fields:
            values[name] = (fields[name] or "").strip()
    if len(values.get("source", "")) > 300:
        errors["source"] = _("Keep the data source under 300 characters.")
    return values, errors


@transaction.atomic
def save_data(response, *, actor, fields):
    """Save what was typed so far for one indicator (autosave, partial).

    ``fields`` holds any of FIELDS. Raises DataError with a message per field
    and saves nothing when any field is wrong. Side effects: the MaturityData
    row and its history; no audit event per keystroke.
    """
    response = _lock_response(response, actor)
    values, errors = clean_fields(response.indicator, fields)
    if errors:
        raise DataError(errors)

    data, _created = MaturityData.objects.select_for_update().get_or_create(
        response=response
    )
    changed = [name for name, value in values.items() if getattr(data, name) != value]
    for name in changed:
        setattr(data, name, values[name])
    if changed:
        data._history_user = actor
        data.save()
        response.updated_by = actor
        response._history_user = actor
        response.save(update_fields=["updated_by", "updated_at"])
    return data, changed


def previous_stage(stage):
    """The region's latest maturity stage of an earlier period, or None."""
    return (
        StageRecord.objects.filter(
            stage=Stage.MATURITY,
            registration__region_id=stage.registration.region_id,
            registration__period__lt=stage.registration.period,
        )
        .order_by("-registration__period")
        .first()
    )


def previous_data(stage):
    """``{indicator id: MaturityData}`` of the previous period's stage."""
    earlier = previous_stage(stage)
    if earlier is None:
        return {}
    return {
        data.response.indicator_id: data
        for data in MaturityData.objects.filter(response__stage=earlier).select_related(
            "response"
        )
    }


@transaction.atomic
def copy_forward(stage, *, actor, indicators=None):
    """Copy the previous period's figures and evidence into empty indicators.

    Only indicators the actor may fill and whose data is still empty are
    touched, so nothing typed this period is overwritten; ``indicators``
    narrows the choice. Returns the clauses copied. Side effects: MaturityData
    fields, Evidence rows (the same stored files), an audit event.
    """
    from kotacerdas.assessments.models import Evidence
    from kotacerdas.assessments.services import edit_refusal

    stage = lock(stage)
    earlier = previous_data(stage)
    if not earlier:
        raise WorkflowError(_("There is no previous period to copy from."))

    copied = []
    responses = stage.responses.select_related("indicator", "maturity_data")
    if indicators is not None:
        responses = responses.filter(indicator__in=indicators)
    for response in responses.order_by("indicator__sort_key"):
        response.stage = stage
        source = earlier.get(response.indicator_id)
        if source is None or not actor.has_perm("assessments.fill_response", response):
            continue
        if edit_refusal(response) is not None:
            continue
        data, _created = MaturityData.objects.get_or_create(response=response)
        if any(getattr(data, name) not in (None, "") for name in FIELDS):
            continue
        for name in FIELDS:
            setattr(data, name, getattr(source, name))
        data.copied_from = source
        data._history_user = actor
        data.save()
        for item in source.response.evidence.all():
            Evidence.objects.create(
                response=response,
                file_id=item.file_id,
                url=item.url,
                label=item.label,
                added_by=actor,
            )
        copied.append(response.indicator.clause)

    if copied:
        record(
            actor=actor,
            action="stage.data_copied",
            obj=stage,
            note=", ".join(copied),
        )
    return copied


def _gaps(indicator, data):
    gaps = []
    if data is None or data.data_year is None:
        gaps.append(_("data year"))
    if needs_denominator(indicator):
        if data is None or data.numerator is None:
            gaps.append(_("numerator"))
        if data is None or data.denominator is None:
            gaps.append(_("denominator"))
    elif data is None or data.direct_value is None:
        gaps.append(_("value"))
    if data is None or not data.source:
        gaps.append(_("data source"))
    if data is None or data.self_level is None:
        gaps.append(_("self-assessed level"))
    return gaps


def missing_data(stage, *, indicators=None):
    """``[(indicator, [names of missing fields])]``, in clause order.

    The pre-submission check of a maturity stage: every indicator needs its
    year, its figures, its source and a self-assessed level.
    """
    responses = stage.responses.select_related("indicator", "maturity_data").order_by(
        "indicator__sort_key"
    )
    if indicators is not None:
        responses = responses.filter(indicator__in=indicators)
    missing = []
    for response in responses:
        data = getattr(response, "maturity_data", None)
        gaps = _gaps(response.indicator, data)
        if gaps:
            missing.append((response.indicator, gaps))
    return missing


def default_year(stage):
    """The year the data is usually of: the one before the period."""
    return datetime.date(stage.registration.period - 1, 1, 1).year
