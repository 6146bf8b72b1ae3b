from django.urls import path

from . import views

urlpatterns = [
    path("", views.team_home, name="team_home"),
    path("approach/", views.approach_edit, name="approach_edit"),
    path("me/", views.team_me, name="team_me"),
    path("teachers/<uuid:uuid>/", views.teacher_team, name="teacher_team"),
    path("teachers/<uuid:uuid>/advice/", views.teacher_advice, name="teacher_advice"),
    path("flags/<uuid:uuid>/", views.flag_detail, name="flag_detail"),
    path("flags/<uuid:uuid>/reply/", views.flag_reply, name="flag_reply"),
    path("flags/<uuid:uuid>/resolve/", views.flag_resolve, name="flag_resolve"),
    path("flags/<uuid:uuid>/consent/", views.flag_consent, name="flag_consent"),
    path("<uuid:uuid>/", views.team_approaches, name="team_approaches"),
    path("<uuid:uuid>/alignment/", views.alignment_report, name="alignment_report"),
    path("<uuid:uuid>/agreements/", views.agreement_record, name="agreement_record"),
    path("<uuid:uuid>/initiatives/", views.initiative_list, name="initiative_list"),
    path("initiatives/<uuid:uuid>/edit/", views.initiative_edit, name="initiative_edit"),
    path("initiatives/<uuid:uuid>/cycles/", views.initiative_cycles, name="initiative_cycles"),
]
