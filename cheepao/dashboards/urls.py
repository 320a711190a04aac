from django.urls import path, re_path

from cheepao.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    # Signed in (ADR 0032): the account's own area, and any area inside it (village last).
    path("dashboard/", views.overview, name="overview"),
    re_path(
        r"^dashboard/(?P<code>\d{2}|\d{4}|\d{6}|\d{8})/$",
        views.overview_area,
        name="overview_area",
    ),
    # Province (2), district (4) or subdistrict (6 digits); villages are the last level shown.
    re_path(r"^areas/(?P<code>\d{2}|\d{4}|\d{6})/$", views.area, name="area"),
    re_path(
        r"^runs/(?P<run_name>[0-9A-Za-z_][0-9A-Za-z_.-]*)/"
        r"register_(?P<level>province|district|subdistrict|village)"
        r"\.(?P<fmt>csv|xlsx)$",
        views.register_download,
        name="register_download",
    ),
    # The register of a survey year loaded into the registry (its area summary, ADR 0020).
    re_path(
        r"^register/(?P<year>\d{4})/"
        r"register_(?P<level>province|district|subdistrict|village)"
        r"\.(?P<fmt>csv|xlsx)$",
        views.summary_download,
        name="summary_download",
    ),
]
