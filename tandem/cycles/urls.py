from django.urls import path

from . import views

urlpatterns = [
    path("goals/", views.goal_list, name="goal_list"),
    path("goals/new/", views.goal_create, name="goal_create"),
    path("goals/<uuid:uuid>/", views.goal_detail, name="goal_detail"),
    path("goals/<uuid:uuid>/edit/", views.goal_edit, name="goal_edit"),
    # Impact Cycles: the cycle page and the Identify stage
    path("cycles/", views.cycle_list, name="cycle_list"),
    path("cycles/new/", views.cycle_create, name="cycle_create"),
    path("cycles/<uuid:uuid>/", views.cycle_detail, name="cycle_detail"),
    path("cycles/<uuid:uuid>/conversation/", views.cycle_conversation, name="cycle_conversation"),
    path("cycles/<uuid:uuid>/goal/", views.cycle_goal, name="cycle_goal"),
    path("cycles/<uuid:uuid>/strategy/", views.cycle_strategy, name="cycle_strategy"),
    path("cycles/<uuid:uuid>/evidence/new/", views.evidence_create, name="evidence_create"),
    path("cycles/evidence/<uuid:uuid>/", views.evidence_detail, name="evidence_detail"),
    path("cycles/evidence/<uuid:uuid>/file/", views.evidence_file, name="evidence_file"),
    path("cycles/evidence/<uuid:uuid>/remove/", views.evidence_delete, name="evidence_delete"),
]

# My cycle and caseload
from . import caseload_views  # noqa: E402 — this section's own views, kept apart from the others'

urlpatterns += [
    path("cycles/mine/", caseload_views.my_cycle, name="my_cycle"),
    path("cycles/caseload/", caseload_views.caseload, name="caseload"),
]
