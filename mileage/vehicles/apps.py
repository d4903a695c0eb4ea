from django.apps import AppConfig


class VehiclesConfig(AppConfig):
    name = "mileage.vehicles"
    label = "vehicles"
