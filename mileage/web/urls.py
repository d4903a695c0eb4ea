from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("city/schedule/", views.schedule, name="schedule"),
    path("city/notices/", views.notices, name="notices"),
    path("districts/<str:code>/", views.district_detail, name="district"),
    path("partner/keys/", views.partner_keys, name="partner_keys"),
    path("partner/keys/<int:key_id>/revoke/", views.partner_key_revoke, name="partner_key_revoke"),
    path("walking/", include("mileage.walking.urls")),
    path("eco/", include("mileage.readings.urls")),
    path("pilot/", include("mileage.pilot.urls")),
    path("privacy/", include("mileage.privacy.urls")),
]
