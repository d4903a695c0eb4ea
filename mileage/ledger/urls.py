"""내 마일리지 pages under /wallet/ (included once from mileage/site/urls.py)."""

from django.urls import path

from . import views

app_name = "wallet"

urlpatterns = [
    path("", views.wallet, name="home"),
    path("history.csv", views.wallet_csv, name="csv"),
]
