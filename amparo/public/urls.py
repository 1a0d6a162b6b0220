from django.urls import URLPattern, URLResolver, path

from amparo.public import views

app_name = "public"
urlpatterns: list[URLPattern | URLResolver] = [
    path("public/", views.home, name="home"),
    path("public/map/points.json", views.points, name="points"),
    path("public/charts/", views.charts, name="charts"),
    path("public/incidents/", views.incidents, name="incidents"),
    path("public/incidents/<str:public_id>/", views.incident, name="incident"),
    path("public/methodology/", views.methodology, name="methodology"),
    path("public/data/", views.data, name="data"),
    path("public/data/<str:name>", views.download, name="download"),
    path("public/manage/", views.manage, name="manage"),
]
