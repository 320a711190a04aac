from django.urls import path

from cheepao.maps import views

app_name = "maps"
urlpatterns = [
    path("", views.own_map, name="map"),
    path("areas.geojson", views.own_areas, name="areas"),
    path("credits/", views.credits, name="credits"),
    path("<str:code>/", views.area_map, name="area"),
    path("<str:code>/areas.geojson", views.area_areas, name="area_areas"),
]
