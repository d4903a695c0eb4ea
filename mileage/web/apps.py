from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "mileage.web"
    label = "web"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import stamp_login

        user_logged_in.connect(stamp_login, dispatch_uid="mileage.web.stamp_login")
