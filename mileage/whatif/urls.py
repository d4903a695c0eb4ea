from django.urls import path

from . import views

app_name = "whatif"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:sim_id>/", views.detail, name="detail"),
    path("<int:sim_id>/progress/", views.progress, name="progress"),
    path("<int:sim_id>.xlsx", views.export_xlsx, name="xlsx"),
]
