"""The methodology document: its validation and the scores computed from it.

A methodology is data (``data/methodology/v1.json`` is the default). Everything
here is a pure function of the document and stored inputs, so any result can be
recomputed and explained from the version a stage was opened with.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kotacerdas.common.i18n import pick

READINESS_ANSWERS = ("yes", "partly", "no")


def _bilingual(value):
    return isinstance(value, dict) and all(
        isinstance(value.get(lang), str) and value.get(lang).strip()
        for lang in ("id", "en")
    )


def _number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


def _validate_readiness(section, errors):
    groups = section.get("groups") or []
    group_codes = [g.get("code") for g in groups if isinstance(g, dict)]
    if not groups or len(set(group_codes)) != len(groups):
        errors.append(_("Readiness groups must be a non-empty list with unique codes."))
    for group in groups:
        if not _bilingual(group.get("name")):
            errors.append(
                _("Readiness group %(code)s needs a name in Indonesian and English.")
                % {"code": group.get("code")}
            )

    criteria = section.get("criteria") or []
    codes = [c.get("code") for c in criteria if isinstance(c, dict)]
    if not criteria or len(set(codes)) != len(criteria):
        errors.append(
            _("Readiness criteria must be a non-empty list with unique codes.")
        )
    for criterion in criteria:
        code = criterion.get("code")
        if criterion.get("group") not in group_codes:
            errors.append(
                _("Criterion %(code)s belongs to an unknown group.") % {"code": code}
            )
        weight = criterion.get("weight")
        if not _number(weight) or weight <= 0:
            errors.append(
                _("Criterion %(code)s needs a positive weight.") % {"code": code}
            )
        if not _bilingual(criterion.get("text")):
            errors.append(
                _("Criterion %(code)s needs its question in Indonesian and English.")
                % {"code": code}
            )

    max_points = section.get("max_points")
    if not isinstance(max_points, int) or max_points < 1:
        errors.append(_("The maximum points per criterion must be a whole number ≥ 1."))
    threshold = section.get("ready_threshold")
    if not _number(threshold) or not 0 <= threshold <= 100:
        errors.append(_("The readiness threshold must be between 0 and 100."))
    unknown = set(section.get("must_meet") or []) - set(codes)
    if unknown:
        errors.append(
            _("Criteria that must be met are not defined: %(codes)s.")
            % {"codes": ", ".join(sorted(unknown))}
        )
    stage_pass = section.get("stage_pass") or {}
    share = stage_pass.get("min_ready_share")
    count = stage_pass.get("min_ready_count")
    if not _number(share) or not 0 <= share <= 1:
        errors.append(_("The share of ready indicators must be between 0 and 1."))
    if not isinstance(count, int) or count < 0:
        errors.append(_("The minimum number of ready indicators must be ≥ 0."))


def _validate_ascending(items, keys, label, errors):
    for key in keys:
        values = [item.get(key) for item in items]
        if not all(_number(v) for v in values) or values != sorted(values):
            errors.append(
                _("%(label)s must be listed in ascending order of %(key)s.")
                % {"label": label, "key": key}
            )
        elif len(set(values)) != len(values):
            errors.append(
                _("%(label)s must not repeat a value of %(key)s.")
                % {"label": label, "key": key}
            )


def _validate_maturity(section, theme_numbers, dimension_codes, errors):
    levels = section.get("levels") or []
    if [lv.get("level") for lv in levels] != [1, 2, 3, 4, 5]:
        errors.append(_("The maturity rubric must define levels 1 to 5, in order."))
    for level in levels:
        if not (_bilingual(level.get("name")) and _bilingual(level.get("meaning"))):
            errors.append(
                _(
                    "Maturity level %(level)s needs its name and meaning in both languages."
                )
                % {"level": level.get("level")}
            )

    dimensions = section.get("dimensions") or []
    seen_themes = []
    for dimension in dimensions:
        code = dimension.get("code")
        if dimension_codes is not None and code not in dimension_codes:
            errors.append(_("Unknown dimension %(code)s.") % {"code": code})
        weight = dimension.get("weight")
        if not _number(weight) or weight <= 0:
            errors.append(
                _("Dimension %(code)s needs a positive weight.") % {"code": code}
            )
        seen_themes.extend(dimension.get("themes") or [])
    if sorted(seen_themes) != sorted(theme_numbers):
        errors.append(
            _("Every theme must belong to exactly one dimension (themes %(themes)s).")
            % {"themes": ", ".join(str(n) for n in sorted(theme_numbers))}
        )

    predicates = section.get("predicates") or []
    if not predicates or not all(_bilingual(p.get("name")) for p in predicates):
        errors.append(_("Predicates need a name in Indonesian and English."))
    _validate_ascending(predicates, ["min"], _("Predicates"), errors)

    tiers = section.get("tiers") or []
    if not tiers or not all(_bilingual(t.get("name")) for t in tiers):
        errors.append(_("Tiers need a name in Indonesian and English."))
    _validate_ascending(tiers, ["min_index", "min_verified"], _("Tiers"), errors)
    decimals = section.get("index_decimals")
    if not isinstance(decimals, int) or not 0 <= decimals <= 4:
        errors.append(_("The index must be rounded to between 0 and 4 decimals."))


def validate_document(document, *, theme_numbers, dimension_codes=None):
    """Raise ValidationError listing every problem of a methodology document."""
    errors = []
    if not isinstance(document, dict):
        raise ValidationError(_("A methodology must be a JSON object."))
    if not isinstance(document.get("version"), int) or document["version"] < 1:
        errors.append(_("The version must be a whole number ≥ 1."))
    if not _bilingual(document.get("name")):
        errors.append(_("The methodology needs a name in Indonesian and English."))

    registration = document.get("registration") or {}
    low = registration.get("min_indicators")
    high = registration.get("max_indicators")
    if not (isinstance(low, int) and isinstance(high, int) and 1 <= low <= high):
        errors.append(
            _("The indicator count bounds must satisfy 1 ≤ minimum ≤ maximum.")
        )
    for kind, rule in (registration.get("training") or {}).items():
        if rule not in ("required", "warn"):
            errors.append(
                _("Training rule for %(kind)s must be “required” or “warn”.")
                % {"kind": kind}
            )

    _validate_readiness(document.get("readiness") or {}, errors)
    _validate_maturity(
        document.get("maturity") or {}, theme_numbers, dimension_codes, errors
    )
    appeal_days = document.get("appeal_days")
    if not isinstance(appeal_days, int) or appeal_days < 0:
        errors.append(_("The appeal period must be a whole number of days ≥ 0."))

    if errors:
        raise ValidationError(errors)


# Scoring ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReadinessResult:
    score: Decimal
    ready: bool
    unmet_required: tuple


def readiness_score(document, points):
    """Score one indicator from ``{criterion code: points}``.

    Score = weighted points / weighted maximum × 100, to two decimals. Ready when
    the score reaches the threshold and every must-meet criterion has full points.
    """
    section = document["readiness"]
    max_points = section["max_points"]
    earned = Decimal(0)
    maximum = Decimal(0)
    for criterion in section["criteria"]:
        weight = Decimal(str(criterion["weight"]))
        earned += weight * Decimal(points.get(criterion["code"], 0))
        maximum += weight * max_points
    score = (earned / maximum * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    unmet = tuple(
        code for code in section["must_meet"] if points.get(code, 0) < max_points
    )
    ready = score >= Decimal(str(section["ready_threshold"])) and not unmet
    return ReadinessResult(score=score, ready=ready, unmet_required=unmet)


def readiness_stage_passes(document, ready_count, agreed_count):
    """At least the required share of the agreed set, and the minimum count."""
    rule = document["readiness"]["stage_pass"]
    share_met = ready_count >= Decimal(str(rule["min_ready_share"])) * agreed_count
    return agreed_count > 0 and share_met and ready_count >= rule["min_ready_count"]


@dataclass(frozen=True)
class MaturityIndex:
    themes: dict
    dimensions: dict
    index: Decimal | None
    verified_count: int


def _mean(values):
    return sum(values, Decimal(0)) / len(values) if values else None


def maturity_index(document, levels_by_theme):
    """Index from ``{theme number: [levels of verified, assessed indicators]}``.

    Theme = mean of its levels; dimension = mean of its themes that have any;
    index = weighted mean of the dimensions that have any. Unassessed themes and
    dimensions are left out rather than counted as zero.
    """
    section = document["maturity"]
    themes = {
        number: _mean([Decimal(level) for level in levels])
        for number, levels in levels_by_theme.items()
        if levels
    }
    dimensions = {}
    for dimension in section["dimensions"]:
        scores = [themes[n] for n in dimension["themes"] if n in themes]
        if scores:
            dimensions[dimension["code"]] = _mean(scores)

    weights = {d["code"]: Decimal(str(d["weight"])) for d in section["dimensions"]}
    total_weight = sum((weights[code] for code in dimensions), Decimal(0))
    index = None
    if total_weight:
        raw = sum(dimensions[c] * weights[c] for c in dimensions) / total_weight
        step = Decimal(1).scaleb(-section["index_decimals"])
        index = raw.quantize(step, ROUND_HALF_UP)
    verified = sum(len(levels) for levels in levels_by_theme.values())
    return MaturityIndex(themes, dimensions, index, verified)


def predicate_for(document, index):
    """The highest predicate band whose lower bound the index reaches."""
    chosen = None
    for band in document["maturity"]["predicates"]:
        if index is not None and index >= Decimal(str(band["min"])):
            chosen = band
    return chosen


def tier_for(document, index, verified_count):
    """The highest tier whose index and coverage conditions both hold, or None."""
    chosen = None
    for tier in document["maturity"]["tiers"]:
        if (
            index is not None
            and index >= Decimal(str(tier["min_index"]))
            and verified_count >= tier["min_verified"]
        ):
            chosen = tier
    return chosen


def label(entry, language=None):
    """The localized name of a predicate, tier, level or criterion entry."""
    return pick(entry.get("name") or entry.get("text") or {}, language)
