from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "mileage.partners"
    label = "partners"
