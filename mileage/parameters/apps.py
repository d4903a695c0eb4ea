from django.apps import AppConfig


class ParametersConfig(AppConfig):
    name = "mileage.parameters"
    label = "parameters"
    verbose_name = "파라미터 변경"
