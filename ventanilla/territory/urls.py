from django.urls import path

from ventanilla.territory import views

app_name = "territory"
urlpatterns = [path("", views.attention_point_list, name="attention_point_list")]
