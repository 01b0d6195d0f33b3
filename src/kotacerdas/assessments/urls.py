"""Stage pages: the region's filling and the assessors' review, kept in two
modules so that each reads on its own."""

from django.urls import include, path

app_name = "assessments"

urlpatterns = [
    path("", include("kotacerdas.assessments.urls_filling")),
    path("", include("kotacerdas.assessments.urls_review")),
]
