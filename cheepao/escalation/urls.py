from django.urls import path

from cheepao.escalation import views

app_name = "escalation"
urlpatterns = [
    path("", views.escalation_list, name="list"),
    path("<int:escalation_id>/", views.escalation_detail, name="detail"),
    path("case/<int:case_id>/", views.case_clock, name="case"),
]
