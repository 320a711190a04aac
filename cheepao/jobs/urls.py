from django.urls import path

from cheepao.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.index, name="index"),
    path("<uuid:job_id>/", views.detail, name="detail"),
    path("<uuid:job_id>/download/", views.download, name="download"),
]
