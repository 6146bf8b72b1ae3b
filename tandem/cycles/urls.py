from django.urls import path

from . import views

urlpatterns = [
    path("goals/", views.goal_list, name="goal_list"),
    path("goals/new/", views.goal_create, name="goal_create"),
    path("goals/<uuid:uuid>/", views.goal_detail, name="goal_detail"),
    path("goals/<uuid:uuid>/edit/", views.goal_edit, name="goal_edit"),
]

# My cycle and caseload
from . import caseload_views  # noqa: E402 — this section's own views, kept apart from the others'

urlpatterns += [
    path("cycles/mine/", caseload_views.my_cycle, name="my_cycle"),
    path("cycles/caseload/", caseload_views.caseload, name="caseload"),
]
