from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import render

from kotacerdas.dashboard.steps import STEPS
from kotacerdas.indicators.models import Dimension, Indicator, Theme


@login_not_required
def home(request):
    return render(request, "public/home.html", {"steps": STEPS})


def search_indicators(query, theme=None, dimension=None):
    """Active indicators matching a word in either language, or a clause."""
    indicators = Indicator.objects.active().select_related("theme")
    if query:
        words = query.split()
        for word in words:
            indicators = indicators.filter(
                Q(title_id__icontains=word)
                | Q(title_en__icontains=word)
                | Q(clause__startswith=word)
            )
    if theme:
        indicators = indicators.filter(theme__number=theme)
    if dimension:
        indicators = indicators.filter(theme__dimension__code=dimension)
    return indicators


@login_not_required
def catalogue(request):
    """Themes with their indicators, filtered by a search word, theme or dimension."""
    query = request.GET.get("q", "").strip()[:100]
    theme = request.GET.get("tema", "")
    theme = int(theme) if theme.isdigit() else None
    dimension = request.GET.get("dimensi", "")

    indicators = search_indicators(query, theme, dimension)
    themes = (
        Theme.objects.select_related("dimension")
        .prefetch_related(Prefetch("indicators", queryset=indicators, to_attr="hits"))
        .order_by("number")
    )
    themes = [t for t in themes if t.hits]
    context = {
        "themes": themes,
        "count": sum(len(t.hits) for t in themes),
        "query": query,
        "theme": theme,
        "dimension": dimension,
        "all_themes": Theme.objects.order_by("number"),
        "dimensions": Dimension.objects.all(),
    }
    template = "public/catalogue.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@login_not_required
def robots_txt(request):
    """Crawlers may read the public pages; nothing behind a login is linked."""
    return HttpResponse(
        "User-agent: *\nDisallow: /akun/\nDisallow: /dasbor/\n",
        content_type="text/plain",
    )
