from django.urls import path

from ventanilla.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.search, name="search"),
    path("register/", views.household_register, name="household_register"),
    path("register/member-form/", views.member_form, name="member_form"),
    path("persons/<uuid:person_uuid>/", views.person_detail, name="person_detail"),
    path("persons/<uuid:person_uuid>/edit/", views.person_edit, name="person_edit"),
    path("persons/<uuid:person_uuid>/population-group/", views.population_group_change,
         name="population_group_change"),
    path("persons/<uuid:person_uuid>/documents/new/", views.document_add, name="document_add"),
    path("persons/<uuid:person_uuid>/documents/<uuid:document_uuid>/remove/",
         views.document_remove, name="document_remove"),
    path("persons/<uuid:person_uuid>/visit/", views.visit_create, name="visit_create"),
    path("persons/<uuid:person_uuid>/consent/", views.consent_update, name="consent_update"),
    path("persons/<uuid:person_uuid>/consent/<uuid:consent_uuid>/withdraw/",
         views.consent_withdraw, name="consent_withdraw"),
    path("persons/<uuid:person_uuid>/leave-household/", views.membership_end,
         name="membership_end"),
]
