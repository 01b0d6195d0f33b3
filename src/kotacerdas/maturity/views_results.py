"""Results for signed-in users (under /kematangan/): a region's results, the
admin's national overview and publication policy, the coordinator's consent.

Signed-in pages show every published report the user may see, whatever the
publication policy: the policy governs the public pages only. Objects outside
the user's scope answer 404.
"""

import logging

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from kotacerdas.common.audit import events_for
from kotacerdas.common.workflow import WorkflowError
from kotacerdas.maturity import policy as policy_services
from kotacerdas.maturity import results
from kotacerdas.maturity.models import PublicationMode, PublicationPolicy
from kotacerdas.maturity.views_public import (
    radar_response,
    region_context,
    trend_response,
)
from kotacerdas.regions.models import Region, RegionKind

logger = logging.getLogger(__name__)


def _region_for(request, code):
    region = Region.objects.select_related("province").filter(code=code).first()
    if (
        region is None
        or region.kind == RegionKind.PROVINCE
        or not request.user.has_perm("maturity.view_region_results", region)
    ):
        raise Http404
    return region


def _link_reports(trend):
    """Set ``link`` on each report: the URL of its report page."""
    from django.urls import NoReverseMatch

    from kotacerdas.maturity.report import report_path

    for report in trend:
        try:
            report.link = report_path(report)
        except NoReverseMatch:
            # The report pages are another part of the stage; until they are
            # mounted the results show without the link.
            report.link = ""


@require_GET
def region_results(request, code):
    """A region's published results over its periods, for its own people, the
    assessors and the admins. Queries: a constant number, whatever the count of
    periods."""
    region = _region_for(request, code)
    context = region_context(results.published_reports(), region, results.labels())
    if context is None:
        context = {"region": region, "trend": [], "labels": results.labels()}
    else:
        _link_reports(context["trend"])
    context["consent"] = policy_services.consent_of(region)
    context["can_consent"] = request.user.has_perm(
        "maturity.set_publication_consent", region
    )
    context["radar_url"] = reverse("maturity:results_radar", args=[region.code])
    context["trend_url"] = reverse("maturity:results_trend", args=[region.code])
    return render(request, "maturity/results/region.html", context)


@require_GET
def region_radar(request, code):
    return radar_response(results.published_reports(), _region_for(request, code))


@require_GET
def region_trend(request, code):
    return trend_response(results.published_reports(), _region_for(request, code))


# The coordinator's consent -----------------------------------------------------


@require_http_methods(["GET", "POST"])
def consent(request):
    """The coordinator gives or withdraws the region's publication consent."""
    region = request.user.region
    if region is None or not request.user.has_perm(
        "maturity.set_publication_consent", region
    ):
        raise Http404
    if request.method == "POST":
        choice = request.POST.get("consented")
        if choice not in ("yes", "no"):
            messages.error(request, _("Choose to give or to withdraw the consent."))
        else:
            policy_services.set_consent(
                region, actor=request.user, consented=choice == "yes"
            )
            messages.success(
                request,
                _("Your region's results may now be published.")
                if choice == "yes"
                else _("Your region's results are no longer published."),
            )
            return redirect("maturity:results_consent")

    current = policy_services.consent_of(region)
    history = list(events_for(current)[:20]) if current.pk else []
    return render(
        request,
        "maturity/results/consent.html",
        {
            "region": region,
            "consent": current,
            "history": history,
            "policy": PublicationPolicy.current(),
        },
    )


# The admin's pages --------------------------------------------------------------


class OverviewFilterForm(forms.Form):
    periode = forms.TypedChoiceField(
        label=gettext_lazy("Period"), coerce=int, required=False, empty_value=None
    )
    jenis = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["periode"].choices = [(p, str(p)) for p in periods]
        self.fields["jenis"].choices = [
            ("", gettext_lazy("All")),
            (RegionKind.CITY, gettext_lazy("city")),
            (RegionKind.REGENCY, gettext_lazy("regency")),
        ]


@require_GET
def national_overview(request):
    """Admin: tiers by province, the distribution of the index and the weakest
    and strongest indicators of a period. Queries: a constant number."""
    if not request.user.has_perm("maturity.view_national_overview"):
        raise Http404
    periods = results.periods(results.published_reports())
    form = OverviewFilterForm(request.GET or None, periods=periods)
    period = periods[0] if periods else None
    kind = ""
    if form.is_valid():
        period = form.cleaned_data["periode"] or period
        kind = form.cleaned_data["jenis"]
    else:
        form = OverviewFilterForm(initial={"periode": period}, periods=periods)
    labels = results.labels()
    overview = None
    if period is not None:
        overview = results.national_overview(
            results.Filters(period=period, kind=kind), labels.tier_codes
        )
    return render(
        request,
        "maturity/results/national.html",
        {
            "form": form,
            "period": period,
            "kind": kind,
            "overview": overview,
            "labels": labels,
            "extremes": [
                (_("Weakest indicators nationally"), overview.weakest, "weakest"),
                (_("Strongest indicators nationally"), overview.strongest, "strongest"),
            ]
            if overview
            else [],
        },
    )


class PolicyForm(forms.Form):
    mode = forms.ChoiceField(
        label=gettext_lazy("Publish"),
        choices=PublicationMode.choices,
        widget=forms.RadioSelect,
    )
    require_consent = forms.BooleanField(
        label=gettext_lazy("Only regions that consented"), required=False
    )
    note = forms.CharField(
        label=gettext_lazy("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )


def _policy_history(policy):
    modes = dict(PublicationMode.choices)
    events = list(events_for(policy)[:30])
    for event in events:
        event.from_label = modes.get(event.from_state, event.from_state)
        event.to_label = modes.get(event.to_state, event.to_state)
    return events


@require_http_methods(["GET", "POST"])
def publication_policy(request):
    """Admin: which published results the public pages and downloads show."""
    if not request.user.has_perm("maturity.set_publication_policy"):
        raise Http404
    policy = PublicationPolicy.current()
    form = PolicyForm(
        request.POST or None,
        initial={"mode": policy.mode, "require_consent": policy.require_consent},
    )
    if request.method == "POST" and form.is_valid():
        try:
            policy_services.set_policy(
                actor=request.user,
                mode=form.cleaned_data["mode"],
                require_consent=form.cleaned_data["require_consent"],
                note=form.cleaned_data["note"],
            )
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("The publication policy is saved and applies at once.")
            )
            return redirect("maturity:publication_policy")
    return render(
        request,
        "maturity/results/policy.html",
        {
            "form": form,
            "policy": policy,
            "history": _policy_history(policy),
            "published": results.published_reports().count(),
            "public": results.public_reports(policy).count(),
        },
    )
