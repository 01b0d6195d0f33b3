from django.urls import path

from kotacerdas.appeals import views

app_name = "appeals"

urlpatterns = [
    path("", views.appeal_list, name="list"),
    path("tahap/<int:stage_pk>/ajukan/", views.file_appeal_view, name="file"),
    path("<int:pk>/", views.appeal_detail, name="detail"),
    path("<int:pk>/tugaskan/", views.assign_view, name="assign"),
    path("<int:pk>/putuskan/", views.decide_view, name="decide"),
]
