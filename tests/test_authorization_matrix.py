"""Every page, every member of the cast, in-tenant and cross-tenant — from the URLconf itself.

A new URL that is not described here fails `test_every_page_is_in_the_matrix`, so a
page is covered by the day it is added. Statuses: 200 shown, 302 done (or sent to
sign in, for anonymous visitors), 403 may see but not change, 404 does not exist
for this person, 405 wrong method.

Pages of one object (`compare_404`) are driven on a real object built afresh for
each person, and every 404 among them must be the very page a random UUID gets:
nothing tells "not yours" from "does not exist". The matrix counts what it checked
and prints the count at the end of the run (`tests/conftest.py`).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tandem.privacy import services as privacy
from tandem.schools.models import AssignmentStatus

from . import content
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
TEACHERS = ["maya", "luis", "hilda"]
# Goals and notes are for teachers and coaches; leaders and admins see counts only.
IN_COACHING = ["maya", "lena", "omar", "sam", "grace", "luis", "nia", "ruth", "henry", "hilda"]
# Jefferson's coaches and its principal set its coach-to-coach agreement.
JEFFERSON_AGREEMENT = ["lena", "omar", "sam", "grace", "luis", "nia", "dana"]
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
    # Per-request objects: {"args": [...]}, optionally "data", and "teacher" for an
    # object's own teacher who is not in the cast (checked too, against allowed["teacher"]).
    fresh: Callable[[Cast], dict[str, Any]] | None = None
    compare_404: bool = False  # each 404 must be identical to a random UUID's


# What the matrix checked in this run; tests/conftest.py prints it at the end.
CHECKED: Counter[str] = Counter()


def _invited(cast: Cast) -> dict[str, Any]:
    teacher = f.teacher(cast.jefferson)
    assignment = f.assign(cast.nia, teacher, cast.jefferson, status=AssignmentStatus.INVITED)
    return {"args": [assignment.uuid], "teacher": teacher}


def _goal(cast: Cast) -> dict[str, Any]:
    """Maya's goal in her Impact Cycle with Lena, shared with Omar alone."""
    goal = content.goal(cast, engagement=content.cycle(cast, cast.lena))
    privacy.share_item(item=goal, coach=cast.omar, acting_user=cast.maya)
    return {"args": [goal.uuid]}


def _note(cast: Cast) -> dict[str, Any]:
    """Lena's meeting note in her cycle with Maya, which Maya shared with Sam."""
    note = content.note(cast, author=cast.lena, engagement=content.cycle(cast, cast.lena))
    privacy.share_item(item=note, coach=cast.sam, acting_user=cast.maya)
    return {"args": [note.uuid]}


def _goal_item(cast: Cast) -> dict[str, Any]:
    return {"args": ["goal", *_goal(cast)["args"]], "data": {"coach": str(cast.sam.uuid)}}


def _share_with_omar(cast: Cast) -> dict[str, Any]:
    return {"args": [], "data": {"coach": str(cast.omar.uuid), "category": "video", "shared": "1"}}


def _jefferson(cast: Cast) -> list[Any]:
    return [cast.jefferson.uuid]


# Impact Cycles, the cycle page and Identify (tests/cycles/identify.py): Maya's cycle with
# Lena, which Maya shared with Omar: he reads it and may not work on it (403). Evidence:
# Lena's, in that cycle, which Maya shared with Sam; only its author removes it.
def _cycle(cast: Cast) -> dict[str, Any]:
    made = content.impact_cycle(cast)
    privacy.share_item(item=made, coach=cast.omar, acting_user=cast.maya)
    return {"args": [made.uuid]}


def _evidence(cast: Cast) -> dict[str, Any]:
    from tandem.cycles.services import add_evidence

    from .cycles.identify import PDF, upload

    made = add_evidence(
        cycle=content.impact_cycle(cast),
        acting_user=cast.lena,
        kind="student_work",
        title="Exit tickets",
        upload=upload("tickets.pdf", PDF),
    )
    privacy.share_item(item=made, coach=cast.sam, acting_user=cast.maya)
    return {"args": [made.uuid]}


_IN_CYCLE = {"maya": 200, "lena": 200, "omar": 200}
_WORK_ON_CYCLE = {"maya": 200, "lena": 200, "omar": 403}
_EVIDENCE_SEEN = {"maya": 200, "lena": 200, "sam": 200}
CYCLES: dict[str, Row] = {
    "cycle_list": Row("get", dict.fromkeys(IN_COACHING, 200)),
    "cycle_create": Row("get", dict.fromkeys(IN_COACHING, 200)),
    "cycle_detail": Row("get", _IN_CYCLE, fresh=_cycle, compare_404=True),
    "cycle_conversation": Row("get", _WORK_ON_CYCLE, fresh=_cycle, compare_404=True),
    "cycle_goal": Row("get", _WORK_ON_CYCLE, fresh=_cycle, compare_404=True),
    "cycle_strategy": Row("get", _WORK_ON_CYCLE, fresh=_cycle, compare_404=True),
    "evidence_create": Row("get", _WORK_ON_CYCLE, fresh=_cycle, compare_404=True),
    "evidence_detail": Row("get", _EVIDENCE_SEEN, fresh=_evidence, compare_404=True),
    "evidence_file": Row("get", _EVIDENCE_SEEN, fresh=_evidence, compare_404=True),
    "evidence_delete": Row(
        "post", {"maya": 403, "lena": 302, "sam": 403}, fresh=_evidence, compare_404=True
    ),
}


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


# Observations (tests/observations/sessions.py): Lena's observation of Maya, which Maya
# shared with Omar: he reads it, and may not change it (403). The tools are for teachers
# and coaches; a custom tool is its author's alone; the service worker holds no one's data.
def _observation(cast: Cast) -> dict[str, Any]:
    from .observations.sessions import record

    seen = record(observer=cast.lena, teacher=cast.maya)
    privacy.share_item(item=seen, coach=cast.omar, acting_user=cast.maya)
    return {"args": [seen.uuid]}


def _lenas_tool(cast: Cast) -> dict[str, Any]:
    from tandem.observations.services import define_custom_tool

    made = define_custom_tool(owner=cast.lena, name="Hands up", mode="tally", labels=["Up"])
    return {"args": [made.uuid]}


_OBSERVED = {"maya": 200, "lena": 200, "omar": 200}
OBSERVATIONS: dict[str, Row] = {
    "observation_list": Row("get", dict.fromkeys(IN_COACHING, 200)),
    "observation_tools": Row("get", dict.fromkeys(IN_COACHING, 200)),
    "observation_tool": Row(
        "get", dict.fromkeys(IN_COACHING, 200), args=lambda cast: ["talk-time"]
    ),
    "observation_custom_tool_create": Row("get", dict.fromkeys(IN_COACHING, 200)),
    "observation_custom_tool": Row("get", {"lena": 200}, fresh=_lenas_tool, compare_404=True),
    "observation_service_worker": Row("get", dict.fromkeys(EVERYONE, 200), anonymous=200),
    "observation_detail": Row("get", _OBSERVED, fresh=_observation, compare_404=True),
    "observation_events_csv": Row("get", _OBSERVED, fresh=_observation, compare_404=True),
    "observation_link_goal": Row(
        "post",
        {"maya": 302, "lena": 302, "omar": 403},
        data={"goal": ""},
        fresh=_observation,
        compare_404=True,
    ),
}

# Coaching team (tandem/teamwork): Jefferson's coaches, its principal and the district
# admin see Jefferson's team pages (the leaders at the level of roles); coaches write their
# own approach; agreements are the coaches' to record (403 for the leaders who see them).
JEFFERSON_TEAM = ["lena", "omar", "sam", "grace", "luis", "nia", "dana", "priya"]


def _initiative(cast: Cast) -> dict[str, Any]:
    from tandem.teamwork.services import create_initiative

    made = create_initiative(
        school=cast.jefferson, name=f"Literacy {uuid.uuid4()}", acting_user=cast.dana
    )
    return {"args": [made.uuid]}


MAYA_TEAM = ["maya", "lena", "omar", "sam", "grace", "luis"]
ON_FLAG = ["maya", "omar", "sam"]


def _maya(cast: Cast) -> list[Any]:
    return [cast.maya.uuid]


def _flag(cast: Cast) -> dict[str, Any]:
    from tandem.coaching.services import give_suggestion
    from tandem.teamwork.services import raise_flag

    tablets = give_suggestion(coach=cast.omar, teacher=cast.maya, text="Tablets for practice")
    paper = give_suggestion(coach=cast.sam, teacher=cast.maya, text="Paper for practice")
    made = raise_flag(suggestions=[tablets, paper], note="Which?", acting_user=cast.maya)
    data = {"text": "Let's talk", "resolution": "Both, by task", "consent": "on"}
    return {"args": [made.uuid], "data": data}


TEAMWORK: dict[str, Row] = {
    "team_home": Row("get", dict.fromkeys([*COACHES, *LEADERS], 200)),
    "approach_edit": Row("get", dict.fromkeys(COACHES, 200)),
    "team_approaches": Row(
        "get", dict.fromkeys(JEFFERSON_TEAM, 200), args=_jefferson, compare_404=True
    ),
    "alignment_report": Row(
        "get", dict.fromkeys(JEFFERSON_TEAM, 200), args=_jefferson, compare_404=True
    ),
    "initiative_list": Row(
        "get", dict.fromkeys(JEFFERSON_TEAM, 200), args=_jefferson, compare_404=True
    ),
    "agreement_record": Row(
        "post",
        {**dict.fromkeys(JEFFERSON_TEAM, 302), "dana": 403, "priya": 403},
        args=_jefferson,
        data={"kind": "meanings", "key": "exit ticket", "text": "We use it the same way."},
        compare_404=True,
    ),
    "initiative_edit": Row(
        "get", dict.fromkeys(JEFFERSON_TEAM, 200), fresh=_initiative, compare_404=True
    ),
    "initiative_cycles": Row(
        "get", dict.fromkeys(JEFFERSON_TEAM, 200), fresh=_initiative, compare_404=True
    ),
    # Maya's team page and her advice side by side: Maya and her active coaches.
    "team_me": Row("get", dict.fromkeys(EVERYONE, 302)),
    "teacher_team": Row("get", dict.fromkeys(MAYA_TEAM, 200), args=_maya, compare_404=True),
    "teacher_advice": Row("get", dict.fromkeys(MAYA_TEAM, 200), args=_maya, compare_404=True),
    # Maya's flag on Omar's and Sam's advice: the three of them, nobody else; only she
    # consents to the agenda (403 for the coaches on it).
    "flag_detail": Row("get", dict.fromkeys(ON_FLAG, 200), fresh=_flag, compare_404=True),
    "flag_reply": Row("post", dict.fromkeys(ON_FLAG, 302), fresh=_flag, compare_404=True),
    "flag_resolve": Row("post", dict.fromkeys(ON_FLAG, 302), fresh=_flag, compare_404=True),
    "flag_consent": Row(
        "post", {"maya": 302, "omar": 403, "sam": 403}, fresh=_flag, compare_404=True
    ),
}


# The coaches' thread and shared resources (tests/threads/): Jefferson's coaches and its
# principal, coach to coach; not its teachers, not the district admin, not Lincoln's
# coach, nobody in Hillview. The index: every coach and school leader, of her schools.
JEFFERSON_THREAD = ["lena", "omar", "sam", "grace", "luis", "nia", "dana"]


def _jefferson_thread(cast: Cast) -> dict[str, Any]:
    from tandem.threads.services import team_thread

    return {"args": [team_thread(school=cast.jefferson, acting_user=cast.lena).uuid]}


THREADS = {
    "thread_index": Row("get", dict.fromkeys([*COACHES, "dana"], 200)),
    "school_thread": Row(
        "get", dict.fromkeys(JEFFERSON_THREAD, 302), args=_jefferson, compare_404=True
    ),
    "resource_list": Row(
        "get", dict.fromkeys(JEFFERSON_THREAD, 200), args=_jefferson, compare_404=True
    ),
    "thread_page": Row(
        "get", dict.fromkeys(JEFFERSON_THREAD, 200), fresh=_jefferson_thread, compare_404=True
    ),
    "thread_poll": Row(
        "get", dict.fromkeys(JEFFERSON_THREAD, 200), fresh=_jefferson_thread, compare_404=True
    ),
    "thread_join": Row(
        "post", dict.fromkeys(JEFFERSON_THREAD, 302), fresh=_jefferson_thread, compare_404=True
    ),
    "thread_norms": Row(
        "get", dict.fromkeys(JEFFERSON_THREAD, 200), fresh=_jefferson_thread, compare_404=True
    ),
}


# Check-ins (tests/checkins/builders.py): Jefferson's weekly coaches' check-in. Its members
# are Jefferson's coaches (Dana only when leaders are invited, not here); to everyone
# else a series, a check-in or an action item does not exist. Coaches and leaders plan
# series where they work. The calendar page is everyone's; a feed's key is its own
# credential: a made-up or revoked one is a 404 for everyone, signed in or not.
JEFFERSON_COACHES = ["lena", "omar", "sam", "grace", "luis", "nia"]


def _checkin_series(cast: Cast) -> dict[str, Any]:
    from .checkins.builders import weekly

    return {"args": [weekly(cast).uuid]}


def _checkin(cast: Cast) -> dict[str, Any]:
    from .checkins.builders import weekly

    checkin = weekly(cast).checkins.first()
    assert checkin is not None
    return {"args": [checkin.uuid], "data": {"date": "2025-10-22", "time": "10:00"}}


def _action_item(cast: Cast) -> dict[str, Any]:
    from tandem.checkins.services import add_action_item

    from .checkins.builders import weekly

    checkin = weekly(cast).checkins.first()
    assert checkin is not None
    item = add_action_item(acting_user=cast.lena, checkin=checkin, text="Share the template")
    return {"args": [item.uuid]}


_MEMBERS = dict.fromkeys(JEFFERSON_COACHES, 200)
CHECKINS: dict[str, Row] = {
    "checkin_list": Row("get", dict.fromkeys([*COACHES, "dana"], 200)),
    "checkin_series_new": Row("get", dict.fromkeys([*COACHES, "dana"], 200)),
    "checkin_series": Row("get", _MEMBERS, fresh=_checkin_series, compare_404=True),
    "checkin_detail": Row("get", _MEMBERS, fresh=_checkin, compare_404=True),
    "checkin_skip": Row(
        "post", dict.fromkeys(JEFFERSON_COACHES, 302), fresh=_checkin, compare_404=True
    ),
    "checkin_move": Row(
        "post", dict.fromkeys(JEFFERSON_COACHES, 302), fresh=_checkin, compare_404=True
    ),
    "action_item_done": Row(
        "post", dict.fromkeys(JEFFERSON_COACHES, 302), fresh=_action_item, compare_404=True
    ),
    "calendar_settings": Row("get", dict.fromkeys(EVERYONE, 200)),
    "calendar_feed": Row(
        "get", {}, others=404, anonymous=404, args=lambda cast: ["not-a-real-calendar-key"]
    ),
}


# The strategy library (tests/library/): everyone in a district browses it; coaches and
# district admins add to it (the form does not exist for others); Lena's strategy is
# Maple Valley's own (Hillview: 404), and only she changes it (403 for those who see it).
def _lenas_strategy(cast: Cast) -> dict[str, Any]:
    from .library.builders import added

    return {"args": [added(cast.lena, name=f"Hands down {uuid.uuid4()}").uuid]}


_MAPLE = [n for n in EVERYONE if n not in ("henry", "hilda", "otto")]
LIBRARY: dict[str, Row] = {
    "strategy_list": Row("get", dict.fromkeys(EVERYONE, 200)),
    "strategy_create": Row("get", dict.fromkeys([*COACHES, *ADMINS], 200)),
    "strategy_detail": Row(
        "get", dict.fromkeys(_MAPLE, 200), fresh=_lenas_strategy, compare_404=True
    ),
    "strategy_edit": Row(
        "get",
        {**dict.fromkeys(_MAPLE, 403), "lena": 200},
        fresh=_lenas_strategy,
        compare_404=True,
    ),
    "framework_edit": Row("get", dict.fromkeys(ADMINS, 200)),
}


# Coaching sessions and suggestions (tests/coaching/builders.py): Lena's session with Maya,
# which Maya shared with Omar: he reads it and may not change it (403). Suggestions are
# given by coaches; their status is the teacher's. Notifications: everyone has her own.
def _session(cast: Cast) -> dict[str, Any]:
    from .coaching.builders import held

    made = held(cast)
    privacy.share_item(item=made, coach=cast.omar, acting_user=cast.maya)
    return {"args": [made.uuid]}


def _upcoming_session(cast: Cast) -> dict[str, Any]:
    from .coaching.builders import session

    made = session(cast)
    privacy.share_item(item=made, coach=cast.omar, acting_user=cast.maya)
    return {"args": [made.uuid]}


def _suggestion(cast: Cast) -> dict[str, Any]:
    from .coaching.builders import suggestion

    made = suggestion(cast)
    privacy.share_item(item=made, coach=cast.omar, acting_user=cast.maya)
    return {"args": [made.uuid], "data": {"status": "trying"}}


_SESSION_SEEN = {"maya": 200, "lena": 200, "omar": 200}
_SESSION_CHANGED = {"maya": 200, "lena": 200, "omar": 403}
COACHING: dict[str, Row] = {
    "session_list": Row("get", dict.fromkeys(IN_COACHING, 200)),
    "session_create": Row("get", dict.fromkeys(IN_COACHING, 200)),
    "session_detail": Row("get", _SESSION_SEEN, fresh=_session, compare_404=True),
    "session_invite": Row("get", _SESSION_SEEN, fresh=_session, compare_404=True),
    "session_edit": Row("get", _SESSION_CHANGED, fresh=_upcoming_session, compare_404=True),
    "session_held": Row("get", _SESSION_CHANGED, fresh=_session, compare_404=True),
    "session_cancel": Row(
        "post",
        {"maya": 302, "lena": 302, "omar": 403},
        fresh=_upcoming_session,
        compare_404=True,
    ),
    "suggestion_list": Row("get", dict.fromkeys(IN_COACHING, 200)),
    "suggestion_create": Row("get", dict.fromkeys(COACHES, 200)),
    "suggestion_detail": Row("get", _SESSION_SEEN, fresh=_suggestion, compare_404=True),
    "suggestion_status": Row(
        "post",
        {"maya": 302, "lena": 403, "omar": 403},
        fresh=_suggestion,
        compare_404=True,
    ),
    "notification_list": Row("get", dict.fromkeys(EVERYONE, 200)),
    "notification_read_all": Row("post", dict.fromkeys(EVERYONE, 302)),
}


# Learn and Improve (tests/cycles/progress_builders.py): Maya's cycle with Lena, with its goal
# and checklist, shared with Omar: he reads it and changes nothing (403). The checklist, how
# she learns it and the goal met are Maya's decisions (403 for Lena); the rest is theirs.
def _progress(cast: Cast) -> dict[str, Any]:
    from .cycles.progress_builders import cycle_in

    made = cycle_in(cast)
    privacy.share_item(item=made, coach=cast.omar, acting_user=cast.maya)
    return {"args": [made.uuid]}


def _progress_item(cast: Cast) -> dict[str, Any]:
    return {"args": [*_progress(cast)["args"], 1]}


def _progress_session(cast: Cast) -> dict[str, Any]:
    import datetime

    from django.utils import timezone

    from tandem.cycles.models import Cycle
    from tandem.cycles.services import schedule_learning_session

    made = Cycle.objects.get(uuid=_progress(cast)["args"][0])
    session = schedule_learning_session(
        cycle=made,
        acting_user=cast.maya,
        kind="modeling",
        starts_at=timezone.now() + datetime.timedelta(days=3),
    )
    return {"args": [made.uuid, session.uuid]}


_TEACHER_DECIDES = {"maya": 200, "lena": 403, "omar": 403}
_THEY_WORK = {"maya": 200, "lena": 200, "omar": 403}
_TEACHER_POSTS = {"maya": 302, "lena": 403, "omar": 403}
PROGRESS: dict[str, Row] = {
    "cycle_summary": Row(
        "get", {"maya": 200, "lena": 200, "omar": 200}, fresh=_progress, compare_404=True
    ),
    "checklist_add": Row("get", _TEACHER_DECIDES, fresh=_progress, compare_404=True),
    "checklist_adapt": Row("get", _TEACHER_DECIDES, fresh=_progress_item, compare_404=True),
    "cycle_learning_mode": Row(
        "post", _TEACHER_POSTS, data={"mode": "modeling"}, fresh=_progress, compare_404=True
    ),
    "learning_session": Row("get", _THEY_WORK, fresh=_progress, compare_404=True),
    # The session is Maya's and Lena's; the cycle's share with Omar is not the session's.
    "cycle_session_ics": Row(
        "get", {"maya": 200, "lena": 200}, fresh=_progress_session, compare_404=True
    ),
    "cycle_ready": Row(
        "post", {"maya": 302, "lena": 302, "omar": 403}, fresh=_progress, compare_404=True
    ),
    "measurement_add": Row("get", _THEY_WORK, fresh=_progress, compare_404=True),
    "adaptation_add": Row("get", _THEY_WORK, fresh=_progress, compare_404=True),
    "conversation_add": Row("get", _THEY_WORK, fresh=_progress, compare_404=True),
    "cycle_close": Row("get", _THEY_WORK, fresh=_progress, compare_404=True),
    # Maya may confirm (told "not yet": the target is not reached) and start the next cycle
    # (told "still open"); Lena may not.
    "cycle_confirm_met": Row("post", _TEACHER_POSTS, fresh=_progress, compare_404=True),
    "cycle_next": Row("post", _TEACHER_POSTS, fresh=_progress, compare_404=True),
}


# Programs (tests/programs/builders.py): everyone of the district reads them; leaders manage
# them (Priya's district-wide program: Dana may change it too). A decision Dana opened for
# Jefferson: its teachers (Maya, Luis) give input, its leaders record it; no one else —
# not Jefferson's coaches, not Lincoln — knows it exists.
def _program(cast: Cast) -> dict[str, Any]:
    from .programs.builders import program

    return {"args": [program(cast).uuid]}


def _decision(cast: Cast) -> dict[str, Any]:
    from .programs.builders import decision, program

    return {
        "args": [decision(cast, program(cast)).uuid],
        "data": {"anonymity": "named", "preference": "for"},
    }


def _support(cast: Cast) -> dict[str, Any]:
    from .programs.builders import support

    return {"args": [support(cast).uuid], "data": {"kind": "co_teaching"}}


_IN_SCOPE = {"maya": 200, "luis": 200, "dana": 200, "priya": 200}
PROGRAMS: dict[str, Row] = {
    "program_list": Row("get", dict.fromkeys(EVERYONE, 200)),
    "program_create": Row("get", dict.fromkeys(LEADERS, 200)),
    "program_detail": Row(
        "get",
        dict.fromkeys(EVERYONE, 200) | dict.fromkeys(["henry", "hilda", "otto"], 404),
        fresh=_program,
        compare_404=True,
    ),
    "program_edit": Row(
        "get",
        dict.fromkeys(EVERYONE, 403)
        | {"dana": 200, "priya": 200}
        | dict.fromkeys(["henry", "hilda", "otto"], 404),
        fresh=_program,
        compare_404=True,
    ),
    "decision_list": Row("get", dict.fromkeys(EVERYONE, 200)),
    "decision_create": Row("get", dict.fromkeys(LEADERS, 200)),
    "decision_detail": Row("get", _IN_SCOPE, fresh=_decision, compare_404=True),
    "decision_input": Row(
        "post",
        {"maya": 302, "luis": 302, "dana": 403, "priya": 403},
        fresh=_decision,
        compare_404=True,
    ),
    "decision_record": Row(
        "get",
        {"maya": 403, "luis": 403, "dana": 200, "priya": 200},
        fresh=_decision,
        compare_404=True,
    ),
    # Technical support: Maya's with Sam on a program; coaching content, so only the two of
    # them know it exists (rule 3). Maya chooses its kind and adapts; both log and plan.
    "support_list": Row("get", dict.fromkeys(EVERYONE, 200)),
    "support_start": Row("get", dict.fromkeys([*TEACHERS, *COACHES], 200)),
    "support_detail": Row("get", {"maya": 200, "sam": 200}, fresh=_support, compare_404=True),
    "support_choose": Row("post", {"maya": 302, "sam": 403}, fresh=_support, compare_404=True),
    "support_log": Row("get", {"maya": 200, "sam": 200}, fresh=_support, compare_404=True),
    "support_modify": Row("get", {"maya": 200, "sam": 403}, fresh=_support, compare_404=True),
    "support_session": Row("get", {"maya": 200, "sam": 200}, fresh=_support, compare_404=True),
    "support_cycle": Row("post", {"maya": 302, "sam": 302}, fresh=_support, compare_404=True),
    # Feedback from the program's teachers; its aggregates for its leaders.
    "program_feedback": Row(
        "get",
        dict.fromkeys(EVERYONE, 403)
        | {"maya": 200, "luis": 200}
        | dict.fromkeys(["henry", "hilda", "otto"], 404),
        fresh=_program,
        compare_404=True,
    ),
    "program_learning": Row(
        "get",
        dict.fromkeys(EVERYONE, 403)
        | {"dana": 200, "priya": 200}
        | dict.fromkeys(["henry", "hilda", "otto"], 404),
        fresh=_program,
        compare_404=True,
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
    # Goals and notes: the lists and the forms for teachers and coaches.
    "goal_list": Row("get", dict.fromkeys(IN_COACHING, 200)),
    "goal_create": Row("get", dict.fromkeys(IN_COACHING, 200)),
    "note_list": Row("get", dict.fromkeys(IN_COACHING, 200)),
    "note_create": Row("get", dict.fromkeys(IN_COACHING, 200)),
    # One goal: Maya's; Lena leads its cycle; Maya shared it with Omar. Lena may change
    # it, Omar only read it (403 on change); to everyone else it does not exist.
    "goal_detail": Row(
        "get", {"maya": 200, "lena": 200, "omar": 200}, fresh=_goal, compare_404=True
    ),
    "goal_edit": Row("get", {"maya": 200, "lena": 200, "omar": 403}, fresh=_goal, compare_404=True),
    # One note: Lena's meeting note in her cycle with Maya, shared with Sam.
    "note_detail": Row(
        "get", {"maya": 200, "lena": 200, "sam": 200}, fresh=_note, compare_404=True
    ),
    "note_edit": Row("get", {"maya": 200, "lena": 200, "sam": 403}, fresh=_note, compare_404=True),
    **CYCLES,
    # Sharing one item and holding it back: Maya alone; those who see it get 403.
    "item_share": Row(
        "post", {"maya": 302, "lena": 403, "omar": 403}, fresh=_goal_item, compare_404=True
    ),
    "item_hold_back": Row(
        "post",
        {"maya": 302, "lena": 403, "omar": 403},
        data={"held": "1"},
        fresh=_goal_item,
        compare_404=True,
    ),
    # The teacher's own privacy pages: every teacher has hers (Luis teaches too).
    "privacy": Row("get", dict.fromkeys(TEACHERS, 200)),
    "who_looked": Row("get", dict.fromkeys(TEACHERS, 200)),
    # A teacher who names someone who is not her coach is told so (302 with a message).
    "privacy_share_category": Row("post", dict.fromkeys(TEACHERS, 302), fresh=_share_with_omar),
    "privacy_narrow": Row(
        "post", dict.fromkeys(TEACHERS, 302), data={"category": "goals", "narrowed": "1"}
    ),
    # Jefferson's agreement: its coaches and its principal; not its teachers, not
    # Lincoln's coach, not the district admin, nobody in Hillview.
    "school_agreement": Row(
        "get", dict.fromkeys(JEFFERSON_AGREEMENT, 200), args=_jefferson, compare_404=True
    ),
    "school_agreement_set": Row(
        "post",
        dict.fromkeys(JEFFERSON_AGREEMENT, 302),
        args=_jefferson,
        data={"category": "goals", "shared": "1"},
        compare_404=True,
    ),
    # My cycle is every teacher's page (Luis teaches too); the caseload every coach's.
    "my_cycle": Row("get", dict.fromkeys(TEACHERS, 200)),
    "caseload": Row("get", dict.fromkeys(COACHES, 200)),
    **MEDIA,
    **OBSERVATIONS,
    **COACHING,
    **LIBRARY,
    **TEAMWORK,
    **THREADS,
    **CHECKINS,
    **PROGRESS,
    **PROGRAMS,
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


def _missing(args: list[Any]) -> list[Any]:
    """The same address with a UUID that names nothing."""
    return [uuid.uuid4() if isinstance(a, uuid.UUID) else a for a in args]


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_person_gets_exactly_what_the_matrix_says(name: str, cast: Cast) -> None:
    row = MATRIX[name]
    people: dict[str, Any] = {"anonymous": None, **cast.everyone()}
    wrong = []
    for who, person in people.items():
        extra = row.fresh(cast) if row.fresh else {}
        args = extra.get("args") or row.args(cast)
        data = {**row.data, **extra.get("data", {})}
        expected = row.anonymous if person is None else row.allowed.get(who, row.others)
        client = Client()
        if person is not None:
            client.force_login(person)
        response = getattr(client, row.method)(reverse(name, args=args), data)
        CHECKED["cases"] += 1
        if response.status_code != expected:
            wrong.append(f"{who}: {response.status_code} (expected {expected})")
        elif expected == 404 and row.compare_404:
            missing_args = _missing(args)
            missing = getattr(client, row.method)(reverse(name, args=missing_args), data)
            CHECKED["404s compared with a random UUID's"] += 1
            hidden_ids = [a for a in args if isinstance(a, uuid.UUID)]
            if not content.same_404(response, missing, *hidden_ids, *missing_args):
                wrong.append(f"{who}: a 404 that differs from a random UUID's")
    if row.fresh and "teacher" in (probe := row.fresh(cast)):
        # The fresh object's own teacher is not in the cast: check her too.
        client = Client()
        client.force_login(probe["teacher"])
        data = {**row.data, **probe.get("data", {})}
        response = getattr(client, row.method)(reverse(name, args=probe["args"]), data)
        CHECKED["cases"] += 1
        if response.status_code != row.allowed["teacher"]:
            wrong.append(f"the teacher: {response.status_code}")
    CHECKED["wrong"] += len(wrong)
    assert not wrong, f"{name}: " + "; ".join(wrong)


def test_every_object_page_shows_a_real_object_to_someone_and_hides_it_from_someone() -> None:
    for name, row in MATRIX.items():
        if not row.compare_404:
            continue
        assert {200, 302} & set(row.allowed.values()), f"{name}: no one gets the real object"
        hidden_from = [who for who in EVERYONE if row.allowed.get(who, row.others) == 404]
        assert hidden_from, f"{name}: it is hidden from no one"


def test_wrong_methods_are_refused_not_served(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.maya)
    assert client.get(reverse("assignment_end", args=[cast.lena_maya.uuid])).status_code == 405
    assert client.get(reverse("assignment_respond", args=[cast.lena_maya.uuid])).status_code == 405
    goal = content.goal(cast)
    for name, args in [
        ("item_share", ["goal", goal.uuid]),
        ("item_hold_back", ["goal", goal.uuid]),
        ("privacy_share_category", []),
        ("privacy_narrow", []),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 405, name
    lena = Client()
    lena.force_login(cast.lena)
    assert lena.get(reverse("school_agreement_set", args=[cast.jefferson.uuid])).status_code == 405
