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

# Learn and Improve
from . import progress_views as progress  # noqa: E402 — this section's own views

urlpatterns += [
    path("cycles/<uuid:uuid>/summary/", progress.cycle_summary, name="cycle_summary"),
    path("cycles/<uuid:uuid>/checklist/add/", progress.checklist_add, name="checklist_add"),
    path(
        "cycles/<uuid:uuid>/checklist/<int:position>/",
        progress.checklist_adapt,
        name="checklist_adapt",
    ),
    path("cycles/<uuid:uuid>/learning/", progress.learning_mode, name="cycle_learning_mode"),
    path("cycles/<uuid:uuid>/sessions/new/", progress.learning_session, name="learning_session"),
    path(
        "cycles/<uuid:uuid>/sessions/<uuid:session>/invite.ics",
        progress.session_ics,
        name="cycle_session_ics",
    ),
    path("cycles/<uuid:uuid>/ready/", progress.ready, name="cycle_ready"),
    path("cycles/<uuid:uuid>/measurements/new/", progress.measurement_add, name="measurement_add"),
    path("cycles/<uuid:uuid>/adaptations/new/", progress.adaptation_add, name="adaptation_add"),
    path(
        "cycles/<uuid:uuid>/conversations/new/",
        progress.conversation_add,
        name="conversation_add",
    ),
    path("cycles/<uuid:uuid>/met/", progress.confirm_met, name="cycle_confirm_met"),
    path("cycles/<uuid:uuid>/close/", progress.close, name="cycle_close"),
    path("cycles/<uuid:uuid>/next/", progress.next_cycle, name="cycle_next"),
]
