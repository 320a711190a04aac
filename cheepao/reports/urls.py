from django.urls import path

from cheepao.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("request/", views.request_report, name="request"),
    path("<uuid:job_id>/download/", views.download, name="download"),
]
