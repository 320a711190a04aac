from django.urls import path

from cheepao.folders import views

app_name = "folders"

urlpatterns = [
    path("households/<int:household_id>/", views.folder, name="folder"),
    path("households/<int:household_id>/edit/", views.edit, name="edit"),
    path("households/<int:household_id>/photos/", views.photos, name="photos"),
    path(
        "households/<int:household_id>/photos/<int:photo_id>/remove/",
        views.photo_remove,
        name="photo_remove",
    ),
    path(
        "households/<int:household_id>/photos/<int:photo_id>/<str:size>/",
        views.photo,
        name="photo",
    ),
    path("households/<int:household_id>/location/", views.location, name="location"),
    path("households/<int:household_id>/pdf/", views.folder_pdf, name="pdf"),
]
