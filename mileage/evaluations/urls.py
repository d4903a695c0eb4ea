from django.urls import path

from . import views

app_name = "evaluations"
urlpatterns = [
    path("runs/", views.run_list, name="runs"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("runs/<int:run_id>/progress/", views.run_progress, name="progress"),
    path("runs/<int:run_id>/sign-off/", views.run_sign_off, name="sign_off"),
    path("runs/<int:run_id>/pay/", views.run_pay, name="pay"),
    path("runs/<int:run_id>/cancel/", views.run_cancel, name="cancel"),
    path("runs/<int:run_id>/export.<str:fmt>", views.run_export, name="export"),
    path("mine/", views.my_evaluations, name="mine"),
    path("stats/", views.eco_stats, name="stats"),
]
