from django.apps import AppConfig


class WalkingConfig(AppConfig):
    name = "mileage.walking"
    label = "walking"
