"""Community pages under /walking/ (included from mileage/web/urls.py next to the walking pages)."""

from django.urls import path

from . import views

app_name = "community"

urlpatterns = [
    path("crews/", views.crew_list, name="crews"),
    path("crews/new/", views.crew_new, name="crew_new"),
    path("crews/join/", views.crew_join, name="crew_join"),
    path("crews/<int:crew_id>/", views.crew_detail, name="crew"),
    path("crews/<int:crew_id>/leave/", views.crew_leave, name="crew_leave"),
    path("crews/<int:crew_id>/challenges/<slug:slug>/take/", views.crew_take, name="crew_take"),
    path("rankings/", views.rankings, name="rankings"),
    path("rankings/profile/", views.ranking_profile, name="ranking_profile"),
    path("districts/", views.district_competition, name="districts"),
]
