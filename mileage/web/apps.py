from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "mileage.web"
    label = "web"
