from django.urls import path

from cheepao.helpstats import views

app_name = "helpstats"
urlpatterns = [
    path("", views.month, name="month"),
    path("area/<str:code>/", views.area, name="area"),
]
