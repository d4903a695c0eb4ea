"""내 마일리지 and 마일리지 사용 pages under /wallet/ (included once from mileage/site/urls.py)."""

from django.urls import path

from . import use_views, views

app_name = "wallet"

urlpatterns = [
    path("", views.wallet, name="home"),
    path("history.csv", views.wallet_csv, name="csv"),
    path("use/", use_views.catalogue, name="use"),
    path("use/<int:use_id>/", use_views.receipt, name="receipt"),
    path("use/<slug:slug>/", use_views.use_form, name="use_form"),
    path("use/<slug:slug>/confirm/", use_views.use_confirm, name="use_confirm"),
]
