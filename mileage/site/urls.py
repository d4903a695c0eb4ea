from django.contrib import admin
from django.urls import include, path

from .api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("evaluations/", include("mileage.evaluations.urls")),
    path("wallet/", include("mileage.ledger.urls")),
    path("city/parameters/", include("mileage.parameters.urls")),
    path("city/whatif/", include("mileage.whatif.urls")),
    path("", include("mileage.members.urls")),
    path("", include("mileage.web.urls")),
]

handler400 = "mileage.web.views.handler400"
handler403 = "mileage.web.views.handler403"
handler404 = "mileage.web.views.handler404"
handler500 = "mileage.web.views.handler500"
