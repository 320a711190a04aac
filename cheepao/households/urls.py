from django.urls import path, re_path

from cheepao.households import views

app_name = "households"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    # Province (2), district (4) or subdistrict (6 digits) of the account's area.
    re_path(r"^area/(?P<code>\d{2}|\d{4}|\d{6})/$", views.area, name="area"),
    re_path(r"^subdistrict/(?P<code>\d{6})/$", views.subdistrict, name="subdistrict"),
    # A village is its subdistrict code and its two-digit number (DOPA).
    re_path(r"^village/(?P<code>\d{8})/$", views.village, name="village"),
    re_path(
        r"^village/(?P<code>\d{8})/register\.xlsx$", views.village_export, name="village_export"
    ),
    path("household/<int:household_id>/", views.folder, name="folder"),
    # National: load an engine run into the registry, as a background job.
    path("load/", views.load, name="load"),
]
