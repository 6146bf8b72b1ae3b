from django.urls import path

from . import views

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
]
