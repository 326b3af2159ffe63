from django.urls import path

from ventanilla.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.figures, name="figures"),
    path("records/", views.records, name="records"),
    path("export.csv", views.export, name="export"),
    path("refresh/", views.refresh, name="refresh"),
]
