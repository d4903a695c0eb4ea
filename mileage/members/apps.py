from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "mileage.members"
    label = "members"
    verbose_name = "회원가입·계정"
