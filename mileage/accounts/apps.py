from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mileage.accounts"
    label = "accounts"
