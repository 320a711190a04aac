from django.urls import path

from cheepao.routing import views

app_name = "routing"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("area/", views.area, name="area"),
    path("case/<int:case_id>/", views.case, name="case"),
    path("household/<int:household_id>/", views.household, name="household"),
]
