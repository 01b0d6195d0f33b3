from django.urls import path

from kotacerdas.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:role>/", views.role_dashboard, name="role"),
]
