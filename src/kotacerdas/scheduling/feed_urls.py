"""The personal calendar feed, outside the language prefixes: calendar programs
keep one URL, and the feed is written in its owner's language."""

from django.urls import path

from kotacerdas.scheduling import views

app_name = "scheduling_feed"

urlpatterns = [
    path("<slug:token>.ics", views.calendar_feed, name="feed"),
]
