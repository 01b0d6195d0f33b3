"""Public results and open data (SPEC §10), mounted at /terbuka/.

Anonymous visitors see only what the publication policy lets through
(``results.public_reports``): a region that did not consent, or (under the
"certified" policy) has no valid maturity certificate, is absent from the
list, the downloads and the API, and its pages answer 404.
"""

import json
import logging

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from kotacerdas.maturity import opendata, results
from kotacerdas.regions.models import Region, RegionKind

logger = logging.getLogger(__name__)

LIST_PAGE_SIZE = 25
SOURCE = "PPTI — Smart City Maturity Index (SNI ISO 37122:2019)"


class ResultsFilterForm(forms.Form):
    """The public list's filters; a bad value is ignored, never an error page."""

    periode = forms.TypedChoiceField(
        label=_("Period"), coerce=int, required=False, empty_value=None
    )
    provinsi = forms.ChoiceField(label=_("Province"), required=False)
    jenis = forms.ChoiceField(label=_("Kind"), required=False)
    peringkat = forms.ChoiceField(label=_("Tier"), required=False)

    def __init__(self, *args, periods=(), labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["periode"].choices = everything + [(p, str(p)) for p in periods]
        self.fields["provinsi"].choices = everything + list(
            Region.objects.filter(kind=RegionKind.PROVINCE)
            .order_by("name")
            .values_list("code", "name")
        )
        self.fields["jenis"].choices = everything + [
            (RegionKind.CITY, _("city")),
            (RegionKind.REGENCY, _("regency")),
        ]
        tiers = [(code, f"{code} {labels.tier(code)}") for code in labels.tier_codes]
        self.fields["peringkat"].choices = everything + tiers + [("none", _("no tier"))]

    def filters(self):
        if not self.is_valid():
            return results.Filters()
        data = self.cleaned_data
        return results.Filters(
            period=data["periode"],
            province=data["provinsi"],
            kind=data["jenis"],
            tier=data["peringkat"],
        )


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_not_required
@require_GET
def results_list(request):
    """Every public result, newest period first; filter by period, province,
    kind and tier. Queries: a constant number, whatever the count of results.
    """
    reports = results.public_reports()
    labels = results.labels()
    periods = results.periods(reports)
    form = ResultsFilterForm(request.GET or None, periods=periods, labels=labels)
    listed = results.listed(reports, form.filters())
    page = Paginator(listed, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = results.labelled(list(page.object_list), labels)
    if request.GET and not form.is_valid():
        # An unknown filter value shows everything rather than an error page.
        form = ResultsFilterForm(periods=periods, labels=labels)
    return render(
        request,
        "maturity/public/list.html",
        {
            "form": form,
            "page": page,
            "labels": labels,
            "query": _query_without_page(request),
        },
    )


def _region(code):
    region = Region.objects.select_related("province").filter(code=code).first()
    if region is None or region.kind == RegionKind.PROVINCE:
        raise Http404
    return region


def region_context(reports, region, labels):
    """What a region's results page shows: the trend over its periods, the
    latest report's dimensions and its peers. A constant number of queries.
    """
    trend = results.labelled(results.trend(reports, region), labels)
    if not trend:
        return None
    latest = trend[-1]
    scores = results.dimension_scores(latest)
    previous = trend[-2] if len(trend) > 1 else None
    before = results.dimension_scores(previous) if previous else {}
    return {
        "region": region,
        "trend": trend,
        "latest": latest,
        "previous": previous,
        "dimensions": [
            {
                "code": code,
                "name": name,
                "score": scores.get(code),
                "previous": before.get(code),
            }
            for code, name in labels.dimensions
        ],
        "peers": results.peers(reports, latest),
        "labels": labels,
    }


@login_not_required
@require_GET
def region_page(request, code):
    """A region's public results: trend, radar, dimensions, peers."""
    region = _region(code)
    context = region_context(results.public_reports(), region, results.labels())
    if context is None:
        raise Http404
    context["radar_url"] = reverse("open_results:radar", args=[region.code])
    context["trend_url"] = reverse("open_results:trend", args=[region.code])
    return render(request, "maturity/public/region.html", context)


def radar_response(reports, region):
    labels = results.labels()
    trend = results.trend(reports, region)
    if not trend:
        raise Http404
    shown = list(reversed(trend[-2:]))
    names = [str(r.stage.registration.period) for r in shown]
    svg = results.radar_svg(shown, names, labels)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


def trend_response(reports, region):
    trend = results.trend(reports, region)
    if not trend:
        raise Http404
    response = HttpResponse(
        results.trend_svg(trend), content_type="image/svg+xml; charset=utf-8"
    )
    response["Cache-Control"] = "public, max-age=300"
    return response


@login_not_required
@require_GET
def region_trend(request, code):
    """The index of the region over its public periods, as SVG."""
    return trend_response(results.public_reports(), _region(code))


@login_not_required
@require_GET
def region_radar(request, code):
    """The radar chart of the region's latest period (and the one before) as
    SVG, for an ``<img src>``: no inline style, no script."""
    return radar_response(results.public_reports(), _region(code))


# Downloads --------------------------------------------------------------------


def _open(response):
    """Open data may be read by any site's scripts: it is public and read-only,
    and no cookie is needed (nor sent, without credentials mode)."""
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _stream(chunks, content_type, filename):
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _open(response)


@login_not_required
@require_GET
def results_csv(request):
    """Every public result, one row per region and period, streamed."""
    return _stream(
        opendata.results_csv(results.public_reports()),
        "text/csv; charset=utf-8",
        "hasil-indeks-kematangan.csv",
    )


@login_not_required
@require_GET
def results_json(request):
    return _stream(
        opendata.results_json(results.public_reports(), source=SOURCE),
        "application/json",
        "hasil-indeks-kematangan.json",
    )


@login_not_required
@require_GET
def lines_csv(request):
    """Every indicator line of the public results, streamed in chunks."""
    return _stream(
        opendata.lines_csv(results.public_reports()),
        "text/csv; charset=utf-8",
        "indikator-indeks-kematangan.csv",
    )


# The JSON API -------------------------------------------------------------------


def _positive(value, default, maximum=None):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    if number < 1:
        return default
    return min(number, maximum) if maximum else number


def _api_error(message, status):
    return _open(JsonResponse({"error": str(message)}, status=status))


@login_not_required
@require_GET
def api_list(request):
    """A page of public results; filters period, province, kind, tier."""
    params = request.GET
    period = params.get("period", "")
    if period and not period.isdigit():
        return _api_error(_("The period must be a year."), 400)
    filters = results.Filters(
        period=int(period) if period else None,
        province=params.get("province", ""),
        kind=params.get("kind", ""),
        tier=params.get("tier", ""),
    )
    size = _positive(
        params.get("page_size"), opendata.API_PAGE_SIZE, opendata.API_MAX_PAGE_SIZE
    )
    listed = results.listed(results.public_reports(), filters)
    paginator = Paginator(listed, size)
    number = _positive(params.get("page"), 1)
    if number > max(paginator.num_pages, 1):
        return _api_error(_("There is no such page."), 404)
    page = paginator.page(number) if paginator.count else None

    def link(page_number):
        query = params.copy()
        query["page"] = page_number
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    answer = JsonResponse(
        {
            "count": paginator.count,
            "page": number,
            "pages": paginator.num_pages if paginator.count else 0,
            "next": link(number + 1) if page and page.has_next() else None,
            "previous": link(number - 1) if page and page.has_previous() else None,
            "results": [opendata.result_record(r) for r in page] if page else [],
        },
        json_dumps_params={"ensure_ascii": False},
    )
    return _open(answer)


@login_not_required
@require_GET
def api_detail(request, code, period):
    """One public result with its indicator lines."""
    report = results.report_of(results.public_reports(), code, period)
    if report is None:
        return _api_error(_("No public result of this region and period."), 404)
    lines = report.lines.select_related("indicator").order_by("indicator__sort_key")
    return _open(
        JsonResponse(
            opendata.detail_record(report, lines),
            json_dumps_params={"ensure_ascii": False},
        )
    )


@login_not_required
@require_GET
def openapi(request):
    return _open(
        HttpResponse(
            json.dumps(
                opendata.openapi_document(request), ensure_ascii=False, indent=2
            ),
            content_type="application/json",
        )
    )
