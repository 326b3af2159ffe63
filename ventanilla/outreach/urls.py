from django.urls import path

from ventanilla.outreach import views

app_name = "outreach"
urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("new/", views.session_form, name="session_create"),
    path("<uuid:session_uuid>/", views.session_detail, name="session_detail"),
    path("<uuid:session_uuid>/edit/", views.session_form, name="session_edit"),
    path("<uuid:session_uuid>/cancel/", views.session_cancel, name="session_cancel"),
    path("<uuid:session_uuid>/held/", views.session_held, name="session_held"),
    path("<uuid:session_uuid>/attendance/", views.attendance_add, name="attendance_add"),
    path(
        "<uuid:session_uuid>/attendance/remove/",
        views.attendance_remove,
        name="attendance_remove",
    ),
    path("<uuid:session_uuid>/anonymous/", views.anonymous_counts, name="anonymous_counts"),
    path("<uuid:session_uuid>/services/", views.service_delivered_add, name="service_add"),
]
