from django.apps import AppConfig


class PilotConfig(AppConfig):
    name = "mileage.pilot"
    label = "pilot"
    verbose_name = "협력기관 경유 사업 (승용차 마일리지 시범사업)"
