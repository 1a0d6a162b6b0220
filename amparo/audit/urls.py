from django.urls import path

from amparo.audit import views

app_name = "audit"
urlpatterns = [path("", views.events, name="events")]
