from django.urls import path

from ventanilla.pathways import views

app_name = "pathways"
urlpatterns = [
    path("", views.questionnaire, name="questionnaire"),
]
