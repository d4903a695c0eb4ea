"""Pilot pages under /pilot/ (included once from mileage/web/urls.py)."""

from django.urls import path

from .views import city, guide, insurer, member

app_name = "pilot"

urlpatterns = [
    path("", member.my_pilot, name="home"),
    path("bank-account/", member.bank_account, name="bank_account"),
    path("enrolments/<int:enrolment_id>/estimate/", member.estimate, name="estimate"),
    path("enrolments/<int:enrolment_id>/", insurer.enrolment, name="enrolment"),
    path("enrolments/<int:enrolment_id>/void/", insurer.void, name="void"),
    path("insurer/", insurer.enrolments, name="insurer"),
    path("city/", city.report, name="city"),
    path("city/evaluate/", city.evaluate, name="evaluate"),
    path("city/transfers/", city.transfers, name="transfers"),
    path("help/", guide.faq, name="help"),
]
