"""Every page, every member of the cast, in-tenant and cross-tenant — from the URLconf itself.

A new URL that is not described here fails `test_every_page_is_in_the_matrix`, so a
page is covered by the day it is added. Statuses: 200 shown, 302 done (or sent to
sign in, for anonymous visitors), 403 may see but not change, 404 does not exist
for this person, 405 wrong method.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tandem.schools.models import AssignmentStatus

from . import factories as f
from .cast import Cast

pytestmark = pytest.mark.django_db

EVERYONE = [
    "maya",
    "lena",
    "omar",
    "sam",
    "grace",
    "luis",
    "nia",
    "dana",
    "priya",
    "ruth",
    "henry",
    "hilda",
    "otto",
]
COACHES = ["lena", "omar", "sam", "grace", "luis", "nia", "ruth", "henry"]
LEADERS = ["dana", "priya", "otto"]
ADMINS = ["priya", "otto"]
# Namespaces with their own tests: allauth's pages, the API, the operator admin.
ELSEWHERE = ("accounts/", "api/v1/", "operator/")


@dataclass
class Row:
    method: str
    allowed: dict[str, int]  # who → status; everyone else gets `others`
    others: int = 404
    anonymous: int = 302
    args: Callable[[Cast], list[Any]] = lambda cast: []
    data: dict[str, str] = field(default_factory=dict)
    fresh: Callable[[Cast], dict[str, Any]] | None = None  # per-request objects


def _invited(cast: Cast) -> dict[str, Any]:
    teacher = f.teacher(cast.jefferson)
    assignment = f.assign(cast.nia, teacher, cast.jefferson, status=AssignmentStatus.INVITED)
    return {"args": [assignment.uuid], "teacher": teacher}


# Lesson video (tests/media/builders.py): Maya's video, shared with Lena. Teachers and
# coaches have the list; teachers upload; the district admin sets the policy. The tus
# endpoint answers OPTIONS to anyone (its other methods: tests/media/test_tus.py).
_VIDEO_PEOPLE = [n for n in EVERYONE if n not in LEADERS]
_SEES = {"maya": 200, "lena": 200}
_CHANGES = {"teacher": 302, "maya": 302, "lena": 403}


def _video(cast: Cast) -> list[Any]:
    from .media.builders import shared_video

    return [shared_video(cast).uuid]


def _fresh_video(cast: Cast) -> dict[str, Any]:
    from .media.builders import video

    return {"args": [video(cast, shared_with=cast.lena).uuid], "teacher": cast.maya}


def _fresh_comment(cast: Cast) -> dict[str, Any]:
    from .media.builders import comment

    made = comment(cast)
    return {"args": [made.video.uuid, made.uuid], "teacher": cast.maya}


def _upload(cast: Cast) -> list[Any]:
    from tandem.media.services import start_upload

    return [start_upload(teacher=cast.maya, length=1000).uuid]


MEDIA: dict[str, Row] = {
    "video_list": Row("get", dict.fromkeys(_VIDEO_PEOPLE, 200)),
    "video_upload": Row("get", dict.fromkeys(["maya", "luis", "hilda"], 200)),
    "media_policy": Row("get", dict.fromkeys(ADMINS, 200)),
    "tus_create": Row("options", dict.fromkeys(EVERYONE, 204), anonymous=204),
    "tus_upload": Row("options", dict.fromkeys(EVERYONE, 204), anonymous=204, args=_upload),
    "video_detail": Row("get", _SEES, args=_video),
    "video_status": Row("get", _SEES, args=_video),
    "video_stream": Row("get", _SEES, args=_video),
    "video_poster": Row("get", _SEES, args=_video),
    "video_captions": Row("get", _SEES, args=_video),
    "video_comments": Row("get", _SEES, args=_video),
    "video_played": Row("post", {"maya": 204, "lena": 204}, args=_video),
    "video_captions_upload": Row("post", {"maya": 302, "lena": 403}, args=_video),
    "video_share": Row("post", {"maya": 302, "lena": 403}, args=_video),
    "video_keep_private": Row("post", _CHANGES, fresh=_fresh_video),
    "video_delete": Row("post", _CHANGES, fresh=_fresh_video),
    # The comment's author (Lena) and the video's teacher may delete a comment.
    "video_comment_delete": Row(
        "post", {"teacher": 302, "maya": 302, "lena": 302}, fresh=_fresh_comment
    ),
}

MATRIX: dict[str, Row] = {
    "home": Row("get", dict.fromkeys(EVERYONE, 200)),
    "profile": Row("get", dict.fromkeys(EVERYONE, 200)),
    "tokens": Row("get", dict.fromkeys(EVERYONE, 200)),
    "token_revoke": Row(
        "post", {}, others=404, args=lambda cast: ["00000000-0000-4000-8000-000000000000"]
    ),
    "set_language": Row(
        "post", dict.fromkeys(EVERYONE, 302), anonymous=302, data={"language": "es", "next": "/"}
    ),
    "assignment_list": Row("get", dict.fromkeys(LEADERS, 200)),
    "assignment_propose": Row("get", dict.fromkeys(LEADERS, 200)),
    "invite_teacher": Row("get", dict.fromkeys(COACHES, 200)),
    # The invited teacher answers (302); the coach and Maple Valley's leaders may see
    # the invitation but not answer it (403); everyone else: it does not exist (404).
    "assignment_respond": Row(
        "post",
        {"teacher": 302, "nia": 403, "dana": 403, "priya": 403},
        data={"answer": "accept"},
        fresh=_invited,
    ),
    "assignment_end": Row(
        "post", {"teacher": 302, "nia": 302, "dana": 302, "priya": 302}, fresh=_invited
    ),
    "staff_invitations": Row("get", dict.fromkeys(ADMINS, 200)),
    "invitation_accept": Row(
        "get", {}, others=404, anonymous=404, args=lambda cast: ["not-a-real-invitation-key"]
    ),
    **MEDIA,
    "healthz": Row("get", dict.fromkeys(EVERYONE, 200), anonymous=200),
    "readyz": Row("get", dict.fromkeys(EVERYONE, 200), anonymous=200),
}
PUBLIC_REDIRECTS = {"favicon.ico"}


def _named_routes() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                if not route.startswith(ELSEWHERE):
                    walk(p.url_patterns, route)
            elif isinstance(p, URLPattern) and not route.startswith(ELSEWHERE):
                names.add(p.name or route)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_page_is_in_the_matrix() -> None:
    assert _named_routes() == set(MATRIX) | PUBLIC_REDIRECTS


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_person_gets_exactly_what_the_matrix_says(name: str, cast: Cast) -> None:
    row = MATRIX[name]
    people: dict[str, Any] = {"anonymous": None, **cast.everyone()}
    wrong = []
    for who, person in people.items():
        extra = row.fresh(cast) if row.fresh else {}
        args = extra.get("args") or row.args(cast)
        expected = row.anonymous if person is None else row.allowed.get(who, row.others)
        client = Client()
        if person is not None:
            client.force_login(person)
        response = getattr(client, row.method)(reverse(name, args=args), row.data)
        if response.status_code != expected:
            wrong.append(f"{who}: {response.status_code} (expected {expected})")
    if row.fresh:
        # The fresh object's own teacher is not in the cast: check her too.
        extra = row.fresh(cast)
        client = Client()
        client.force_login(extra["teacher"])
        response = getattr(client, row.method)(reverse(name, args=extra["args"]), row.data)
        if response.status_code != row.allowed["teacher"]:
            wrong.append(f"the teacher: {response.status_code}")
    assert not wrong, f"{name}: " + "; ".join(wrong)


def test_wrong_methods_are_refused_not_served(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.maya)
    assert client.get(reverse("assignment_end", args=[cast.lena_maya.uuid])).status_code == 405
    assert client.get(reverse("assignment_respond", args=[cast.lena_maya.uuid])).status_code == 405
