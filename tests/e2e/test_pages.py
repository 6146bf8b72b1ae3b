"""Every page, as each kind of person sees it, passes axe-core in English and Spanish.

Each page is also photographed (var/screenshots/<page>-<lang>.png, and
<page>-es-tablet.png and <page>-es-phone.png) so a person can look at it, and
must fit a tablet (768 CSS pixels) and reflow at 320 without scrolling sideways.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from tandem.accounts.models import ApiToken
from tandem.schools import services
from tandem.schools.models import AssignmentStatus, CoachingAssignment, StaffInvitation

from .. import factories as f
from ..cast import Cast
from . import (
    caseload_screens,
    coaching_screens,
    library_screens,
    observation_screens,
    privacy_screens,
    program_screens,
)
from .browser import LANGUAGES, Site


@dataclass(frozen=True)
class Screen:
    """A page in one state: who is signed in (a cast member, or nobody) and how to get there."""

    who: str | None
    open: Callable[[Site, Cast], None]


def visit(path: str) -> Callable[[Site, Cast], None]:
    return lambda site, cast: site.goto(path)


def _wrong_password(site: Site, cast: Cast) -> None:
    site.goto(reverse("account_login"))
    site.page.locator("input[name=login]").fill(cast.maya.email)
    site.page.locator("input[name=password]").fill("not-her-password")
    site.page.locator("main form button[type=submit]").click()
    site.page.wait_for_load_state()


def _reset_requested(site: Site, cast: Cast) -> None:
    site.goto(reverse("account_reset_password"))
    site.page.locator("input[name=email]").fill(cast.maya.email)
    site.page.locator("main form button[type=submit]").click()
    site.page.wait_for_url("**" + reverse("account_reset_password_done"))


def _reset_from_key(site: Site, cast: Cast) -> None:
    _reset_requested(site, cast)
    body = str(mail.outbox[-1].body)
    link = re.search(r"http://\S+/password/reset/key/\S+", body)
    assert link, body
    site.page.goto(link.group(0))


def _second_step(site: Site, cast: Cast) -> None:
    site.page.context.clear_cookies(name="sessionid")
    site.goto(reverse("account_login"))
    site.page.locator("input[name=login]").fill(cast.priya.email)
    site.page.locator("input[name=password]").fill(f.PASSWORD)
    site.page.locator("main form button[type=submit]").click()
    site.page.wait_for_url("**" + reverse("mfa_authenticate"))


def _waiting_invitations(site: Site, cast: Cast) -> None:
    if CoachingAssignment.objects.filter(teacher=cast.maya, coach=cast.nia).exists():
        site.goto("/")
        return
    f.assign(cast.nia, cast.maya, cast.jefferson, status=AssignmentStatus.INVITED)
    proposal = f.assign(
        cast.ruth,
        cast.maya,
        cast.jefferson,
        "content",
        subject="Science",
        status=AssignmentStatus.PROPOSED,
        proposed_by=cast.dana,
    )
    proposal.focus = "Lab routines that keep every group talking"
    proposal.message = "Ruth has time on Tuesdays.\nWould that help?"
    proposal.save()
    site.goto("/")


def _no_role(site: Site, cast: Cast) -> None:
    site.goto("/")


def _propose_with_errors(site: Site, cast: Cast) -> None:
    site.goto(reverse("assignment_propose"))
    site.page.locator("main form button[type=submit]").click()
    site.page.wait_for_load_state()


def _staff_invitations(site: Site, cast: Cast) -> None:
    if not StaffInvitation.objects.exists():
        for name, email in [("Ben Carter", "ben.carter"), ("Ada Lowe", "ada.lowe")]:
            services.invite_staff(
                acting_user=cast.priya,
                email=f"{email}@maplevalley.example",
                display_name=name,
                role="teacher",
                school=cast.jefferson,
            )
        StaffInvitation.objects.filter(display_name="Ada Lowe").update(
            expires_at=timezone.now() - datetime.timedelta(days=1)
        )
    site.goto(reverse("staff_invitations"))


def _invitation(*, expired: bool) -> Callable[[Site, Cast], None]:
    def open_link(site: Site, cast: Cast) -> None:
        invitation, key = services.invite_staff(
            acting_user=cast.priya,
            email="ben.carter@maplevalley.example",
            display_name="Ben Carter",
            role="teacher",
            school=cast.jefferson,
        )
        if expired:
            invitation.expires_at = timezone.now() - datetime.timedelta(days=1)
            invitation.save()
        site.goto(reverse("invitation_accept", args=[key]))

    return open_link


def _tokens(site: Site, cast: Cast) -> None:
    if not ApiToken.objects.exists():
        ApiToken.issue(user=cast.maya, name="Grade-book sync")
    site.goto(reverse("tokens"))


def _token_created(site: Site, cast: Cast) -> None:
    site.goto(reverse("tokens"))
    site.page.locator("input[name=name]").fill("Spreadsheet export")
    site.page.locator("form:has(input[name=name]) button[type=submit]").click()
    site.page.wait_for_selector("#new-token")


def _confirm_password(site: Site, cast: Cast) -> None:
    site.goto(reverse("mfa_activate_totp"))
    site.page.wait_for_url("**" + reverse("account_reauthenticate") + "**")


def _totp_activate(site: Site, cast: Cast) -> None:
    site.goto(reverse("mfa_activate_totp"))
    if reverse("account_reauthenticate") in site.page.url:
        site.page.locator("input[name=password]").fill(f.PASSWORD)
        site.page.locator("main form button[type=submit]").click()
    site.page.wait_for_url("**" + reverse("mfa_activate_totp"))


def _recovery_codes(site: Site, cast: Cast) -> None:
    site.goto(reverse("mfa_generate_recovery_codes"))
    if reverse("account_reauthenticate") in site.page.url:
        site.page.locator("input[name=password]").fill(f.PASSWORD)
        site.page.locator("main form button[type=submit]").click()
    site.page.wait_for_url("**" + reverse("mfa_generate_recovery_codes"))
    site.page.locator("main form button[type=submit]").click()
    site.page.wait_for_url("**" + reverse("mfa_view_recovery_codes"))


def _admin_must_set_up_mfa(site: Site, cast: Cast) -> None:
    Authenticator.objects.filter(user=cast.priya).delete()
    site.goto("/")
    if reverse("account_reauthenticate") in site.page.url:
        site.page.locator("input[name=password]").fill(f.PASSWORD)
        site.page.locator("main form button[type=submit]").click()
    site.page.wait_for_url("**" + reverse("mfa_activate_totp"))


def _forbidden(site: Site, cast: Cast) -> None:
    """A principal may end Maya's partnership, but only Maya may answer an invitation."""
    site.goto("/")
    with site.page.expect_navigation():
        site.page.evaluate(
            """action => {
                const form = document.createElement("form");
                form.method = "post";
                form.action = action;
                form.append(document.querySelector("input[name=csrfmiddlewaretoken]").cloneNode());
                const answer = document.createElement("input");
                answer.name = "answer";
                answer.value = "accept";
                form.append(answer);
                document.body.append(form);
                form.submit();
            }""",
            reverse("assignment_respond", args=[cast.lena_maya.uuid]),
        )


SCREENS: dict[str, Screen] = {
    "sign-in": Screen(None, visit("/accounts/login/")),
    "sign-in-wrong-password": Screen(None, _wrong_password),
    "password-reset": Screen(None, visit("/accounts/password/reset/")),
    "password-reset-done": Screen(None, _reset_requested),
    "password-reset-new-password": Screen(None, _reset_from_key),
    "sign-in-second-step": Screen(None, _second_step),
    "home-teacher": Screen("maya", visit("/")),
    "home-teacher-with-invitations": Screen("maya", _waiting_invitations),
    "home-coach": Screen("lena", visit("/")),
    "home-department-head": Screen("luis", visit("/")),
    "home-principal": Screen("dana", visit("/")),
    "home-district-admin": Screen("priya", visit("/")),
    "home-without-a-role": Screen("nobody", _no_role),
    "assignments": Screen("dana", visit("/assignments/")),
    "propose-a-coach": Screen("dana", visit("/assignments/propose/")),
    "propose-a-coach-with-errors": Screen("dana", _propose_with_errors),
    "invite-a-teacher": Screen("lena", visit("/assignments/invite/")),
    "staff-invitations": Screen("priya", _staff_invitations),
    "invitation-accept": Screen(None, _invitation(expired=False)),
    "invitation-expired": Screen(None, _invitation(expired=True)),
    "profile": Screen("maya", visit("/me/")),
    "api-tokens": Screen("maya", _tokens),
    "api-token-shown-once": Screen("maya", _token_created),
    "change-password": Screen("maya", visit("/accounts/password/change/")),
    "email-addresses": Screen("maya", visit("/accounts/email/")),
    "mfa": Screen("maya", visit("/accounts/2fa/")),
    "mfa-confirm-password": Screen("maya", _confirm_password),
    "mfa-totp-activate": Screen("maya", _totp_activate),
    "mfa-required-for-admin": Screen("priya", _admin_must_set_up_mfa),
    "mfa-with-authenticator": Screen("priya", visit("/accounts/2fa/")),
    "mfa-recovery-codes": Screen("priya", _recovery_codes),
    "sign-out": Screen("maya", visit("/accounts/logout/")),
    "forbidden": Screen("dana", _forbidden),
    "not-found": Screen("maya", visit("/no-such-page/")),
}


# Tandem's own pages (tandem/urls.py) and the screen that shows each; allauth's pages are
# the screens above that reach them. A new page fails the first test below until it has
# a screen here, so it is checked the day it is added.
SHOWN_BY = {
    "home": "home-teacher",
    "profile": "profile",
    "tokens": "api-tokens",
    "assignment_list": "assignments",
    "assignment_propose": "propose-a-coach",
    "invite_teacher": "invite-a-teacher",
    "staff_invitations": "staff-invitations",
    "invitation_accept": "invitation-accept",
}
NOT_PAGES = {"token_revoke", "set_language", "assignment_respond", "assignment_end"}
NOT_PAGES |= {"healthz", "readyz"}  # JSON for load balancers


# Lesson video: its pages, and the player's parts (bytes, partials, form posts, tus).
def _video_page(who: str) -> Callable[[Site, Cast], None]:
    def open_video(site: Site, cast: Cast) -> None:
        from ..media.builders import comment, shared_video

        video = shared_video(cast)
        if not video.comments.exists():
            comment(cast)
        site.goto(reverse("video_detail", args=[video.uuid]))
        site.page.locator("video").wait_for()

    return open_video


def _video_preparing(site: Site, cast: Cast) -> None:
    from tandem.media.models import Video, VideoStatus

    from ..media.builders import video

    found = Video.objects.filter(status=VideoStatus.PROCESSING).first()
    if found is None:
        found = video(cast, title="Exit tickets")
        Video.objects.filter(pk=found.pk).update(status=VideoStatus.PROCESSING, progress=40)
    site.goto(reverse("video_detail", args=[found.uuid]))


def _videos(site: Site, cast: Cast) -> None:
    from ..media.builders import shared_video

    shared_video(cast)
    site.goto(reverse("video_list"))


SCREENS |= {
    "videos-teacher": Screen("maya", _videos),
    "videos-coach": Screen("lena", _videos),
    "video-upload": Screen("maya", visit("/videos/upload/")),
    "video-player-teacher": Screen("maya", _video_page("maya")),
    "video-player-coach": Screen("lena", _video_page("lena")),
    "video-preparing": Screen("maya", _video_preparing),
    "video-policy": Screen("priya", visit("/videos/policy/")),
}
SHOWN_BY |= {
    "video_list": "videos-teacher",
    "video_upload": "video-upload",
    "video_detail": "video-player-teacher",
    "media_policy": "video-policy",
}
NOT_PAGES |= {"tus_create", "tus_upload", "video_status", "video_stream", "video_poster"}
NOT_PAGES |= {"video_captions", "video_captions_upload", "video_played", "video_comments"}
NOT_PAGES |= {"video_comment_delete", "video_share", "video_keep_private", "video_delete"}
# Observations: sessions, the tools, a tool while recording (tests/e2e/observation_screens.py).
SCREENS |= {name: Screen(*screen) for name, screen in observation_screens.SCREENS.items()}
SHOWN_BY |= observation_screens.SHOWN_BY
NOT_PAGES |= observation_screens.NOT_PAGES
# The cycle page and the Identify stage (tests/e2e/cycle_screens.py).
from . import cycle_screens  # noqa: E402 — its own line, beside its registration

SCREENS |= {name: Screen(*screen) for name, screen in cycle_screens.SCREENS.items()}
SHOWN_BY |= cycle_screens.SHOWN_BY
NOT_PAGES |= cycle_screens.NOT_PAGES
# Goals, notes and the teacher's privacy (tests/e2e/privacy_screens.py).
SCREENS |= {name: Screen(*screen) for name, screen in privacy_screens.SCREENS.items()}
SHOWN_BY |= privacy_screens.SHOWN_BY
NOT_PAGES |= privacy_screens.NOT_PAGES
# Programs and adoption decisions (tests/e2e/program_screens.py).
SCREENS |= {name: Screen(*screen) for name, screen in program_screens.SCREENS.items()}
SHOWN_BY |= program_screens.SHOWN_BY
NOT_PAGES |= program_screens.NOT_PAGES
# The strategy library and the district's framework (tests/e2e/library_screens.py).
SCREENS |= {name: Screen(*screen) for name, screen in library_screens.SCREENS.items()}
SHOWN_BY |= library_screens.SHOWN_BY
NOT_PAGES |= library_screens.NOT_PAGES
# The coaching log, suggestions, notifications (tests/e2e/coaching_screens.py).
SCREENS |= {name: Screen(*screen) for name, screen in coaching_screens.SCREENS.items()}
SHOWN_BY |= coaching_screens.SHOWN_BY
NOT_PAGES |= coaching_screens.NOT_PAGES
# My cycle and the coach's caseload (tests/e2e/caseload_screens.py).
SCREENS |= {name: Screen(*screen) for name, screen in caseload_screens.SCREENS.items()}
SHOWN_BY |= caseload_screens.SHOWN_BY
NOT_PAGES |= caseload_screens.NOT_PAGES
# Learn and Improve of an Impact Cycle (tests/e2e/progress_screens.py).
from . import progress_screens  # noqa: E402

SCREENS |= {name: Screen(*screen) for name, screen in progress_screens.SCREENS.items()}
SHOWN_BY |= progress_screens.SHOWN_BY
NOT_PAGES |= progress_screens.NOT_PAGES
# The coaching team: approaches, the alignment report, initiatives (tests/e2e/teamwork_screens.py).
from . import teamwork_screens  # noqa: E402

SCREENS |= {name: Screen(*screen) for name, screen in teamwork_screens.SCREENS.items()}
SHOWN_BY |= teamwork_screens.SHOWN_BY
NOT_PAGES |= teamwork_screens.NOT_PAGES
# Coaches' check-ins and the calendar feed (tests/e2e/checkin_screens.py).
from . import checkin_screens  # noqa: E402

SCREENS |= {name: Screen(*screen) for name, screen in checkin_screens.SCREENS.items()}
SHOWN_BY |= checkin_screens.SHOWN_BY
NOT_PAGES |= checkin_screens.NOT_PAGES
# The coaches' thread and shared resources (tests/e2e/thread_screens.py).
from . import thread_screens  # noqa: E402

SCREENS |= {name: Screen(*screen) for name, screen in thread_screens.SCREENS.items()}
SHOWN_BY |= thread_screens.SHOWN_BY
NOT_PAGES |= thread_screens.NOT_PAGES
ELSEWHERE = ("accounts/", "api/", "operator/")  # allauth, the API, the operator admin


def _tandem_routes() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(ELSEWHERE):
                continue
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif pattern.name:
                names.add(pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_page_of_tandem_has_a_screen_here() -> None:
    routes = _tandem_routes() - NOT_PAGES
    missing, gone = routes - set(SHOWN_BY), set(SHOWN_BY) - routes
    assert not missing, (
        f"pages without a screen: {sorted(missing)}; add one to SCREENS and SHOWN_BY in "
        "tests/e2e/test_pages.py (or the URL name to NOT_PAGES if it is not a page)"
    )
    assert not gone, f"SHOWN_BY names URLs that no longer exist: {sorted(gone)}"
    assert set(SHOWN_BY.values()) <= set(SCREENS)


@pytest.mark.parametrize("name", SCREENS)
def test_page_passes_axe_in_english_and_spanish(name: str, site: Site, cast: Cast) -> None:
    screen = SCREENS[name]
    if screen.who == "nobody":
        site.open_session(f.make_user(district=cast.maple, display_name="Pat Quinn"))
    elif screen.who:
        site.open_session(getattr(cast, screen.who))
    problems = []
    for language in LANGUAGES:
        site.set_language(language)
        screen.open(site, cast)
        if route := next((r for r, shown in SHOWN_BY.items() if shown == name), None):
            assert resolve(urlsplit(site.page.url).path).url_name == route
        lang = site.page.locator("html").get_attribute("lang")
        site.screenshot(f"{name}-{language}")
        try:
            assert lang == language, f"<html lang={lang!r}>, expected {language!r}"
            site.assert_accessible()
        except AssertionError as problem:
            problems.append(f"[{language}] {problem}")
    # Spanish, the longer words, on a tablet and on the narrowest phone.
    for device, viewport in [("tablet", 768), ("phone", 320)]:
        site.page.set_viewport_size({"width": viewport, "height": 640})
        width = site.page.evaluate("document.documentElement.scrollWidth")
        site.screenshot(f"{name}-{LANGUAGES[-1]}-{device}")
        if width > viewport:
            problems.append(f"[{device}] {width} px wide at {viewport} px: it scrolls sideways")
    assert not problems, "\n".join(problems)
