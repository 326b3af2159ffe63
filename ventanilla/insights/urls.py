from django.urls import path

from ventanilla.insights import views

app_name = "insights"
urlpatterns = [path("", views.figures, name="figures")]
