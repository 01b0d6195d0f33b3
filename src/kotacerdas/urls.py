from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from kotacerdas.common import views as common_views
from kotacerdas.public import views as public_views

urlpatterns = [
    path("healthz", common_views.healthz, name="healthz"),
    path("robots.txt", public_views.robots_txt, name="robots_txt"),
    path("bahasa/", common_views.set_language, name="set_language"),
    path("kalender/", include("kotacerdas.scheduling.feed_urls")),
]

urlpatterns += i18n_patterns(
    path("", include("kotacerdas.public.urls")),
    path("akun/", include("kotacerdas.accounts.urls")),
    path("dasbor/", include("kotacerdas.dashboard.urls")),
    path("pendaftaran/", include("kotacerdas.registrations.urls")),
    path("jadwal/", include("kotacerdas.scheduling.urls")),
    path("pelatihan/", include("kotacerdas.training.urls")),
    path("tahap/", include("kotacerdas.assessments.urls")),
    path("kematangan/", include("kotacerdas.maturity.urls")),
    path("terbuka/", include("kotacerdas.maturity.urls_public")),
    path("banding/", include("kotacerdas.appeals.urls")),
    path("", include("kotacerdas.certificates.urls")),
    path("", include("kotacerdas.common.urls")),
    path("kelola/", admin.site.urls),
    prefix_default_language=False,
)

admin.site.site_header = settings.PROGRAMME_NAME
admin.site.site_title = settings.PROGRAMME_NAME
