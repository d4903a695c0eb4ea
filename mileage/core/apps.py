from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mileage.core"
    label = "core"
    verbose_name = "Core"
