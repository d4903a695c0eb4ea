from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "mileage.ledger"
    label = "ledger"
