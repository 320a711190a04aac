from django.urls import path

from cheepao.mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("", views.teams, name="teams"),
    path("appoint/", views.appoint, name="appoint"),
    path("mine/", views.mine, name="mine"),
    path("unassigned/", views.unassigned, name="unassigned"),
    path("no-contact/", views.no_contact, name="no_contact"),
    path("team/<int:team_id>/", views.team, name="team"),
    path("team/<int:team_id>/order/", views.order, name="order"),
    path("team/<int:team_id>/order.pdf", views.order_pdf, name="order_pdf"),
    path("team/<int:team_id>/assign/", views.assign, name="assign"),
    path("team/<int:team_id>/handover/", views.handover, name="handover"),
    path("team/<int:team_id>/members/add/", views.member_add, name="member_add"),
    path(
        "team/<int:team_id>/members/<int:member_id>/leave/",
        views.member_leave,
        name="member_leave",
    ),
    path("team/<int:team_id>/end/", views.team_end, name="end"),
]
