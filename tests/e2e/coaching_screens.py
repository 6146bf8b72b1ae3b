"""The coaching log, sessions, suggestions and notifications as screens for test_pages.py.

Each opener may run more than once (once per language): it builds what it needs
only once.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.urls import reverse

from tandem.coaching import mail, services
from tandem.coaching.models import CoachingSession, SessionKind, Suggestion
from tandem.notifications.models import Notification
from tandem.notifications.services import notify

from ..cast import Cast
from ..coaching.builders import held, session
from .browser import Site

Opener = Callable[[Site, Cast], None]


def _log(cast: Cast) -> list[CoachingSession]:
    """Lena and Maya's held modeling session and an upcoming conversation; Omar's visit."""
    if not CoachingSession.objects.exists():
        past = held(cast, notes="We tried wait time in period 3.\nNext: cold calling.")
        held(cast, kind=SessionKind.CONVERSATION, duration_minutes=30)
        session(cast, kind=SessionKind.CONVERSATION, place="Room 12")
        session(cast, coach=cast.omar, kind=SessionKind.CO_TEACHING, place="Computer lab")
        services.give_suggestion(
            coach=cast.lena, teacher=cast.maya, text="Wait five seconds.", session=past
        )
        services.give_suggestion(coach=cast.omar, teacher=cast.maya, text="Use the tablets.")
        soon = session(cast, starts_in=datetime.timedelta(days=20))
        for line in (
            mail.reminder_line(soon, cast.maya),
            mail.change_line(soon, cast.maya, "REQUEST"),
        ):
            notify(user=cast.maya, text=line, url=soon.get_absolute_url())
    return list(CoachingSession.objects.order_by("id"))


def _visit(path: Callable[[Cast], str]) -> Opener:
    def open_page(site: Site, cast: Cast) -> None:
        _log(cast)
        site.goto(path(cast))

    return open_page


def _first_suggestion(cast: Cast) -> str:
    return Suggestion.objects.order_by("id").first().get_absolute_url()  # type: ignore[union-attr]


def _plan_with_errors(site: Site, cast: Cast) -> None:
    site.goto(reverse("session_create"))
    site.page.locator("main form button[type=submit]").click()
    site.page.wait_for_load_state()


def _held_too_early(site: Site, cast: Cast) -> None:
    upcoming = _log(cast)[2]
    site.goto(reverse("session_held", args=[upcoming.uuid]))
    site.page.locator("main form button[type=submit]").click()
    site.page.wait_for_load_state()


def _notifications(site: Site, cast: Cast) -> None:
    _log(cast)
    Notification.objects.filter(user=cast.maya).update(read_at=None)
    site.goto(reverse("notification_list"))


SCREENS: dict[str, tuple[str, Opener]] = {
    "coaching-log-coach": ("lena", _visit(lambda cast: reverse("session_list"))),
    "coaching-log-teacher": ("maya", _visit(lambda cast: reverse("session_list") + "?period=year")),
    "session-plan": ("lena", _visit(lambda cast: reverse("session_create"))),
    "session-plan-with-errors": ("lena", _plan_with_errors),
    "session-detail": ("maya", _visit(lambda cast: _log(cast)[0].get_absolute_url())),
    "session-move": (
        "lena",
        _visit(lambda cast: reverse("session_edit", args=[_log(cast)[2].uuid])),
    ),
    "session-record-held": (
        "lena",
        _visit(lambda cast: reverse("session_held", args=[_log(cast)[0].uuid])),
    ),
    "session-held-too-early": ("lena", _held_too_early),
    "suggestions-teacher": ("maya", _visit(lambda cast: reverse("suggestion_list"))),
    "suggestion-give": ("lena", _visit(lambda cast: reverse("suggestion_create"))),
    "suggestion-detail": ("maya", _visit(_first_suggestion)),
    "notifications": ("maya", _notifications),
}
SHOWN_BY = {
    "session_list": "coaching-log-coach",
    "session_create": "session-plan",
    "session_detail": "session-detail",
    "session_edit": "session-move",
    "session_held": "session-record-held",
    "suggestion_list": "suggestions-teacher",
    "suggestion_create": "suggestion-give",
    "suggestion_detail": "suggestion-detail",
    "notification_list": "notifications",
}
# The .ics file, and three form posts.
NOT_PAGES = {"session_invite", "session_cancel", "suggestion_status", "notification_read_all"}
