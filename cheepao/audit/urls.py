from django.urls import path

from cheepao.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.search, name="search"),
    path("export/", views.export_csv, name="export"),
]
