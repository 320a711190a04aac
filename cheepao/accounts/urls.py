from django.urls import path

from cheepao.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("two-step/setup/", views.otp_setup, name="otp_setup"),
    path("two-step/", views.otp_verify, name="otp_verify"),
    path("", views.account_list, name="list"),
    path("new/", views.account_create, name="create"),
    path("<int:account_id>/", views.account_detail, name="detail"),
    path("<int:account_id>/deactivate/", views.account_deactivate, name="deactivate"),
    path("<int:account_id>/reactivate/", views.account_reactivate, name="reactivate"),
    path("<int:account_id>/unlock/", views.account_unlock, name="unlock"),
    path("<int:account_id>/reset-password/", views.account_reset_password, name="reset_password"),
]
