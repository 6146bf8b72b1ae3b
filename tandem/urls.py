from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from tandem import health
from tandem.accounts import views as account_views
from tandem.api.urls import api
from tandem.checkins import views as checkin_views
from tandem.schools import views as school_views

urlpatterns = [
    path("", school_views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("me/", account_views.profile, name="profile"),
    path("me/tokens/", account_views.tokens, name="tokens"),
    path("me/tokens/<uuid:uuid>/revoke/", account_views.token_revoke, name="token_revoke"),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("assignments/", school_views.assignment_list, name="assignment_list"),
    path("assignments/propose/", school_views.assignment_propose, name="assignment_propose"),
    path("assignments/invite/", school_views.invite_teacher, name="invite_teacher"),
    path(
        "assignments/<uuid:uuid>/respond/",
        school_views.assignment_respond,
        name="assignment_respond",
    ),
    path("assignments/<uuid:uuid>/end/", school_views.assignment_end, name="assignment_end"),
    path("staff/invitations/", school_views.staff_invitations, name="staff_invitations"),
    path("join/<str:key>/", school_views.invitation_accept, name="invitation_accept"),
    path("", include("tandem.cycles.urls")),  # goals/… and cycles/…
    path("library/", include("tandem.library.urls")),
    path("coaching/", include("tandem.coaching.urls")),
    path("programs/", include("tandem.programs.urls")),
    path("team/", include("tandem.teamwork.urls")),
    path("checkins/", include("tandem.checkins.urls")),
    path("calendar/<str:key>.ics", checkin_views.calendar_feed, name="calendar_feed"),
    path("notes/", include("tandem.notes.urls")),
    path("notifications/", include("tandem.notifications.urls")),
    path("threads/", include("tandem.threads.urls")),
    path("observations/", include("tandem.observations.urls")),
    path("privacy/", include("tandem.privacy.urls")),
    # Lesson video. Not under /media/: that prefix is often served publicly by a proxy.
    path("videos/", include("tandem.media.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/", api.urls),
    path("operator/", admin.site.urls),
    path("favicon.ico", RedirectView.as_view(url="/static/tandem/favicon.svg", permanent=True)),
]

handler403 = "tandem.errors.forbidden"
handler404 = "tandem.errors.not_found"
handler500 = "tandem.errors.server_error"
