from django.urls import include, path

from . import audit_views, manage_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("city/schedule/", views.schedule, name="schedule"),
    path("city/audit/", audit_views.city_audit, name="city_audit"),
    path("city/programmes/", manage_views.index, name="manage"),
    path("city/programmes/<slug:kind>/", manage_views.item_list, name="manage_list"),
    path("city/programmes/<slug:kind>/new/", manage_views.item_edit, name="manage_new"),
    path("city/programmes/<slug:kind>/<int:pk>/", manage_views.item_edit, name="manage_edit"),
    path("city/notices/", views.notices, name="notices"),
    path("districts/<str:code>/", views.district_detail, name="district"),
    path("partner/keys/", views.partner_keys, name="partner_keys"),
    path("partner/keys/<int:key_id>/revoke/", views.partner_key_revoke, name="partner_key_revoke"),
    path("walking/", include("mileage.community.urls")),
    path("walking/", include("mileage.walking.urls")),
    path("eco/", include("mileage.readings.urls")),
    path("pilot/", include("mileage.pilot.urls")),
    path("privacy/", include("mileage.privacy.urls")),
]
