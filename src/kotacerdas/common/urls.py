from django.urls import path

from kotacerdas.common import views

app_name = "common"

urlpatterns = [
    path("berkas/<uuid:pk>/", views.download, name="download"),
    path("berkas/unggah/", views.documents, name="documents"),
    path("notifikasi/", views.notification_list, name="notifications"),
    path(
        "notifikasi/<int:pk>/dibaca/",
        views.notification_read,
        name="notification_read",
    ),
    path(
        "notifikasi/semua-dibaca/",
        views.notification_read_all,
        name="notification_read_all",
    ),
]
