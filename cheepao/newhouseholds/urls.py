from django.urls import path

from cheepao.newhouseholds import views

app_name = "newhouseholds"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("duplicates/<int:pk>/", views.duplicate, name="duplicate"),
]
