"""Eco-mileage pages under /eco/."""

from django.urls import path

from .views import appeals, citizen, official

app_name = "eco"

urlpatterns = [
    path("", citizen.home, name="home"),
    path("vehicles/new/", citizen.vehicle_new, name="vehicle_new"),
    path("vehicles/<int:vehicle_id>/", citizen.vehicle, name="vehicle"),
    path("vehicles/<int:vehicle_id>/readings/", citizen.upload, name="upload"),
    path("vehicles/<int:vehicle_id>/end/", citizen.end, name="end"),
    path("vehicles/<int:vehicle_id>/change/", citizen.change, name="change"),
    path("photos/<int:photo_id>/", citizen.photo, name="photo"),
    path("review/", official.queue, name="queue"),
    path("review/<int:reading_id>/", official.review, name="review"),
    path("review/<int:reading_id>/approve/", official.approve, name="approve"),
    path("review/<int:reading_id>/reject/", official.reject, name="reject"),
    path("cycles/<int:cycle_id>/void/", official.void, name="void"),
    path("walk-in/", official.walk_in, name="walk_in"),
    path("appeals/", appeals.appeals, name="appeals"),
    path("review/<int:reading_id>/appeal/", appeals.appeal_reading, name="appeal_reading"),
    path("cycles/<int:cycle_id>/appeal/", appeals.appeal_cycle, name="appeal_cycle"),
    path("appeals/<int:appeal_id>/", appeals.appeal, name="appeal"),
    path("appeals/<int:appeal_id>/decide/", appeals.appeal_decide, name="appeal_decide"),
    path("audit/", appeals.audit, name="audit"),
    path("outbox/", appeals.outbox, name="outbox"),
]
