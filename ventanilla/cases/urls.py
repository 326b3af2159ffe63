from django.urls import path

from ventanilla.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.my_cases, name="my_cases"),
    path("referrals/", views.referral_inbox, name="referral_inbox"),
    path("referrals/overdue/", views.overdue_referrals, name="overdue_referrals"),
    path("referrals/<uuid:referral_uuid>/", views.referral_detail, name="referral_detail"),
    path("referrals/<uuid:referral_uuid>/act/", views.referral_act, name="referral_act"),
    path("<uuid:case_uuid>/referrals/", views.referral_send, name="referral_send"),
    path("open/<uuid:person_uuid>/", views.case_open, name="case_open"),
    path("<uuid:case_uuid>/", views.case_detail, name="case_detail"),
    path("<uuid:case_uuid>/transition/", views.case_transition, name="case_transition"),
    path("<uuid:case_uuid>/assign/", views.case_assign, name="case_assign"),
    path("<uuid:case_uuid>/assessment/", views.assessment_new, name="assessment_new"),
    path("<uuid:case_uuid>/plan/", views.plan_item_add, name="plan_item_add"),
    path(
        "<uuid:case_uuid>/plan/<uuid:item_uuid>/status/",
        views.plan_item_status,
        name="plan_item_status",
    ),
    path("<uuid:case_uuid>/notes/", views.note_add, name="note_add"),
    path("<uuid:case_uuid>/tasks/", views.task_add, name="task_add"),
    path(
        "<uuid:case_uuid>/tasks/<uuid:task_uuid>/done/", views.task_complete, name="task_complete"
    ),
]
