from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("upload/", views.upload, name="upload"),
    path("template.csv", views.template_csv, name="template"),
    path("<int:import_id>/", views.detail, name="detail"),
    path("<int:import_id>/rejects.csv", views.rejects_csv, name="rejects_csv"),
    path("review/", views.review, name="review"),
    path("review/bulk/", views.review_bulk, name="review_bulk"),
    path("review/<int:item_id>/decide/", views.decide, name="decide"),
]
