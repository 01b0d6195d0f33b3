from django.urls import path

from kotacerdas.public import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("katalog-indikator/", views.catalogue, name="catalogue"),
]
