from django.apps import AppConfig


class WhatifConfig(AppConfig):
    name = "mileage.whatif"
    label = "whatif"
    verbose_name = "정책 시뮬레이션"
