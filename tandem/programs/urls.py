from django.urls import path

from . import support_views, views

urlpatterns = [
    path("", views.program_list, name="program_list"),
    path("new/", views.program_create, name="program_create"),
    path("<uuid:uuid>/", views.program_detail, name="program_detail"),
    path("<uuid:uuid>/edit/", views.program_edit, name="program_edit"),
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/new/", views.decision_create, name="decision_create"),
    path("decisions/<uuid:uuid>/", views.decision_detail, name="decision_detail"),
    path("decisions/<uuid:uuid>/input/", views.decision_input, name="decision_input"),
    path("decisions/<uuid:uuid>/record/", views.decision_record, name="decision_record"),
    path("<uuid:uuid>/feedback/", support_views.program_feedback, name="program_feedback"),
    path("<uuid:uuid>/learning/", support_views.program_learning, name="program_learning"),
    path("support/", support_views.support_list, name="support_list"),
    path("support/new/", support_views.support_start, name="support_start"),
    path("support/<uuid:uuid>/", support_views.support_detail, name="support_detail"),
    path("support/<uuid:uuid>/choose/", support_views.support_choose, name="support_choose"),
    path("support/<uuid:uuid>/log/", support_views.support_log, name="support_log"),
    path("support/<uuid:uuid>/adapt/", support_views.support_modify, name="support_modify"),
    path("support/<uuid:uuid>/session/", support_views.support_session, name="support_session"),
    path("support/<uuid:uuid>/cycle/", support_views.support_cycle, name="support_cycle"),
]
