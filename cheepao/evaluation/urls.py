from django.urls import path

from cheepao.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.area, name="area"),
]
