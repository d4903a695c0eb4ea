from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "mileage.privacy"
    label = "privacy"
    verbose_name = "개인정보 접근기록"
    default_auto_field = "django.db.models.BigAutoField"
