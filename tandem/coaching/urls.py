from django.urls import path

from . import views

urlpatterns = [
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<uuid:uuid>/", views.session_detail, name="session_detail"),
    path("sessions/<uuid:uuid>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<uuid:uuid>/held/", views.session_held, name="session_held"),
    path("sessions/<uuid:uuid>/cancel/", views.session_cancel, name="session_cancel"),
    path("sessions/<uuid:uuid>/invite.ics", views.session_invite, name="session_invite"),
    path("suggestions/", views.suggestion_list, name="suggestion_list"),
    path("suggestions/new/", views.suggestion_create, name="suggestion_create"),
    path("suggestions/<uuid:uuid>/", views.suggestion_detail, name="suggestion_detail"),
    path("suggestions/<uuid:uuid>/status/", views.suggestion_status, name="suggestion_status"),
]
