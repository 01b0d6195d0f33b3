from django.urls import path, register_converter

from kotacerdas.scheduling import views
from kotacerdas.scheduling.models import Stage

app_name = "scheduling"


class StageConverter:
    regex = "|".join(Stage.values)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


register_converter(StageConverter, "stage")

urlpatterns = [
    path("", views.overview, name="overview"),
    path("saya/", views.mine, name="mine"),
    path("kalender/", views.calendar_settings, name="calendar"),
    path("konflik/", views.conflicts, name="conflicts"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/kelola/<stage:stage>/", views.manage, name="manage"),
    path(
        "<int:pk>/kelola/<stage:stage>/periksa-asesor/",
        views.team_check,
        name="team_check",
    ),
    path("acara/<int:pk>/ubah/", views.event_edit, name="event_edit"),
    path("acara/<int:pk>.ics", views.event_ics, name="event_ics"),
    path("tim/<int:pk>/hapus/", views.team_remove, name="team_remove"),
    path("tim/<int:pk>/ketua/", views.team_lead, name="team_lead"),
]
