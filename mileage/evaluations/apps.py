from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "mileage.evaluations"
    label = "evaluations"
