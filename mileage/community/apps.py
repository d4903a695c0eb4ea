from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "mileage.community"
    label = "community"
    verbose_name = "걷기 커뮤니티"
