from django.urls import path

from amparo.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.signin, name="login"),
    path("login/code/", views.otp, name="otp"),
    path("two-step/", views.otp_setup, name="otp_setup"),
    path("link/<str:token>/", views.signin_link, name="link"),
    path("join/<str:token>/", views.join, name="join"),
    path("password/", views.password, name="password"),
    path("logout/", views.signout, name="logout"),
    path("network/", views.switch_network, name="switch_network"),
    path("members/", views.members, name="members"),
    path("members/<uuid:code>/", views.member, name="member"),
    path("members/<uuid:code>/link/", views.member_link, name="member_link"),
]
