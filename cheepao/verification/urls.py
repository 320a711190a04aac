from django.urls import path

from cheepao.verification import views

app_name = "verification"

urlpatterns = [
    path("households/<int:household_id>/", views.verification_form, name="form"),
    path("areas/<str:code>/", views.area, name="area"),
    path("batches/", views.batches, name="batches"),
    path("batches/<int:batch_id>/", views.batch, name="batch"),
]
