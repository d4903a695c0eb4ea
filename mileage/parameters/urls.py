from django.urls import path

from . import views

app_name = "parameters"
urlpatterns = [
    path("", views.parameter_list, name="list"),
    path("pending/", views.pending, name="pending"),
    path("changes/<int:change_id>/approve/", views.approve, name="approve"),
    path("changes/<int:change_id>/reject/", views.reject, name="reject"),
    path("changes/<int:change_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<str:name>/", views.parameter_detail, name="detail"),
    path("<str:name>/propose/", views.propose, name="propose"),
]
