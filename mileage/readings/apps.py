from django.apps import AppConfig


class ReadingsConfig(AppConfig):
    name = "mileage.readings"
    label = "readings"
