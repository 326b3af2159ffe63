from django.urls import path

from ventanilla.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.service_list, name="service_list"),
    path("<uuid:service_uuid>/", views.service_detail, name="service_detail"),
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/new/", views.service_form, name="service_create"),
    path("manage/<uuid:service_uuid>/", views.service_form, name="service_edit"),
    path(
        "manage/<uuid:service_uuid>/unpublish/",
        views.service_unpublish,
        name="service_unpublish",
    ),
]
