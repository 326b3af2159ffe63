from django.urls import path

from ventanilla.pathways import case_views, views

app_name = "pathways"
urlpatterns = [
    path("", views.questionnaire, name="questionnaire"),
    path("cases/<uuid:case_uuid>/run/", case_views.check_run, name="check_run"),
    path("checks/<uuid:check_uuid>/", case_views.check_detail, name="check_detail"),
    path("rules/", case_views.rules_review, name="rules_review"),
    path("rules/<slug:rule_id>/", case_views.rule_detail, name="rule_detail"),
]
