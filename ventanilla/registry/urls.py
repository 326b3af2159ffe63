from django.urls import path

from ventanilla.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.search, name="search"),
    path("register/", views.household_register, name="household_register"),
    path("register/member-form/", views.member_form, name="member_form"),
    path("households/<uuid:household_uuid>/", views.household_detail, name="household_detail"),
    path(
        "households/<uuid:household_uuid>/add-member/",
        views.household_add_member,
        name="household_add_member",
    ),
    path(
        "households/<uuid:household_uuid>/register-member/",
        views.household_register_member,
        name="household_register_member",
    ),
    path("persons/<uuid:person_uuid>/", views.person_detail, name="person_detail"),
    path("persons/<uuid:person_uuid>/edit/", views.person_edit, name="person_edit"),
    path(
        "persons/<uuid:person_uuid>/population-group/",
        views.population_group_change,
        name="population_group_change",
    ),
    path("persons/<uuid:person_uuid>/documents/new/", views.document_add, name="document_add"),
    path(
        "persons/<uuid:person_uuid>/documents/<uuid:document_uuid>/remove/",
        views.document_remove,
        name="document_remove",
    ),
    path("persons/<uuid:person_uuid>/visit/", views.visit_create, name="visit_create"),
    path("persons/<uuid:person_uuid>/consent/", views.consent_update, name="consent_update"),
    path(
        "persons/<uuid:person_uuid>/consent/<uuid:consent_uuid>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path(
        "persons/<uuid:person_uuid>/new-household/", views.household_start, name="household_start"
    ),
    path(
        "persons/<uuid:person_uuid>/leave-household/", views.membership_end, name="membership_end"
    ),
]
