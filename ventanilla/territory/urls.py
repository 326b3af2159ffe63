from django.urls import path

from ventanilla.territory import views

app_name = "territory"
urlpatterns = [
    path("", views.attention_point_list, name="attention_point_list"),
    path("new/", views.attention_point_form, name="attention_point_create"),
    path("<uuid:point_uuid>/", views.attention_point_form, name="attention_point_edit"),
]
