from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mileage.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from . import jobs

        jobs.connect()  # the schedule page's last results (JobResult)
