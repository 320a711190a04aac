from django.urls import path

from cheepao.snapshots import views

app_name = "snapshots"
urlpatterns = [path("", views.months, name="months")]
