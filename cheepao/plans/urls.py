from django.urls import path

from cheepao.plans import views

app_name = "plans"
urlpatterns = [
    path("household/<int:household_id>/", views.household_plan, name="household"),
    path("<int:plan_id>/", views.plan, name="plan"),
    path("area/<str:code>/", views.area, name="area"),
    path("area/<str:code>/plan.xlsx", views.area_xlsx, name="area_xlsx"),
    path("area/<str:code>/plan.pdf", views.area_pdf, name="area_pdf"),
]
