from django.urls import path

from cheepao.logbook import views

app_name = "logbook"

urlpatterns = [
    path("household/<int:household_id>/", views.household, name="household"),
    path("household/<int:household_id>/<str:part>/", views.record, name="record"),
    path("entry/<int:entry_id>/correct/", views.correct, name="correct"),
    path("entry/<int:entry_id>/photo/<str:size>/", views.photo, name="photo"),
    path("programmes/", views.programmes, name="programmes"),
    path("programmes/new/", views.programme_register, name="programme_register"),
]
