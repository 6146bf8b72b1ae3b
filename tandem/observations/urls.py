from django.urls import path

from . import views

urlpatterns = [
    path("", views.observation_list, name="observation_list"),
    path("sw.js", views.service_worker, name="observation_service_worker"),
    path("tools/", views.observation_tools, name="observation_tools"),
    path("tools/custom/new/", views.custom_tool_create, name="observation_custom_tool_create"),
    path(
        "tools/custom/<uuid:uuid>/", views.observation_custom_tool, name="observation_custom_tool"
    ),
    path("tools/<slug:tool>/", views.observation_tool, name="observation_tool"),
    path("<uuid:uuid>/", views.observation_detail, name="observation_detail"),
    path("<uuid:uuid>/events.csv", views.observation_events_csv, name="observation_events_csv"),
    path("<uuid:uuid>/goal/", views.observation_link_goal, name="observation_link_goal"),
]
