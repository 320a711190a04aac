from django.urls import path, re_path

from cheepao.opendata import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    # A month as people write it here (Buddhist Era, "2569-11"); villages are never published.
    re_path(
        r"^(?P<month>\d{4}-\d{2})/(?P<level>province|district|subdistrict)\.(?P<fmt>csv|json)$",
        views.level_file,
        name="level_file",
    ),
    re_path(r"^(?P<month>\d{4}-\d{2})/all\.json$", views.all_file, name="all_file"),
]
