"""Every API operation, every member of the cast, and an anonymous caller → one status each.

The operations come from the generated OpenAPI document itself: one that is not
in `MATRIX` fails `test_every_operation_is_in_the_matrix`, so an operation is
covered the day it is added. Each row says, as literals, what each person gets,
with a personal access token of her own (`ApiToken.issue`); every request gets
fresh objects, so a change made by one person never decides another's answer.

Who is who (tests/cast.py): Maya teaches at Jefferson; Lena (instructional), Omar
(technology), Sam (content), Grace (mentor) and Luis (her department head, who
also teaches) coach her; Nia coaches at Jefferson but not Maya; Dana is
Jefferson's principal, Priya Maple Valley's district admin; Ruth coaches at
Lincoln; Henry (coach), Hilda (teacher) and Otto (admin) are in Hillview.

Statuses: 2xx done; 400 a rule of the service ("not one of your coaches");
401 no credentials (or a token where only a session will do); 403 sees it but
may not do this; 404 does not exist for this person — with a body identical to
that of a UUID that never existed, which every 404 here is checked against.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

import pytest
from django.test import Client
from django.utils import timezone

from tandem.accounts.models import ApiToken, User
from tandem.api.urls import api
from tandem.privacy import services
from tandem.schools.models import AssignmentStatus, CoachingAssignment, Specialty

from .. import factories as f
from ..cast import Cast
from ..observations import cases as observation_cases
from ..observations import sessions as observations
from .conftest import API
from .items import goal, note

pytestmark = pytest.mark.django_db

WHO = (
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
    "anonymous",
)
# operationId → (method, path), from the generated OpenAPI document.
OPERATIONS: dict[str, tuple[str, str]] = {
    operation["operationId"]: (method.upper(), path.removeprefix(API))
    for path, item in api.get_openapi_schema()["paths"].items()
    for method, operation in item.items()
}


@dataclass
class Call:
    """What one request sends: path parameters, query and JSON body."""

    path: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None


def _nothing(cast: Cast) -> Call:
    return Call()


@dataclass
class Row:
    """One status per member of `WHO`, in that order; `call` builds fresh objects per request."""

    statuses: tuple[int, ...]
    call: Callable[[Cast], Call] = _nothing


# Fresh objects, one set per request --------------------------------------------------


def _maya_invited_by_a_new_coach(cast: Cast) -> Call:
    """An invitation to Maya from a coach outside the cast: Maya answers it; Jefferson's
    principal and the district admin see it but may not answer for her."""
    coach = f.coach(cast.jefferson, Specialty.INSTRUCTIONAL)
    invited = f.assign(coach, cast.maya, cast.jefferson, status=AssignmentStatus.INVITED)
    return Call({"uuid": str(invited.uuid)}, body={"answer": "accept"})


def _maya_coached_by_a_new_coach(cast: Cast) -> Call:
    coach = f.coach(cast.jefferson, Specialty.INSTRUCTIONAL)
    assignment: CoachingAssignment = f.assign(coach, cast.maya, cast.jefferson)
    return Call({"uuid": str(assignment.uuid)})


def _invitation_of_a_new_teacher(cast: Cast) -> Call:
    ben = f.teacher(cast.jefferson)
    return Call(body={"teacher": str(ben.uuid), "specialty": "instructional"})


def _proposal_for_a_new_teacher(cast: Cast) -> Call:
    ben = f.teacher(cast.jefferson)
    return Call(
        body={
            "school": str(cast.jefferson.uuid),
            "coach": str(cast.nia.uuid),
            "teacher": str(ben.uuid),
            "specialty": "instructional",
            "starts_on": timezone.localdate().isoformat(),
        }
    )


def _mayas_token(cast: Cast) -> Call:
    token, _raw = ApiToken.issue(user=cast.maya, name="old laptop")
    return Call({"uuid": str(token.uuid)})


def _goal_shared_with_lena(cast: Cast, **fields: Any) -> Any:
    hers = goal(cast, **fields)
    services.share_item(item=hers, coach=cast.lena, acting_user=cast.maya)
    return hers


def _omars_meeting_note(cast: Cast) -> Any:
    """A note Omar wrote about his meeting with Maya: hers, and his while he coaches her."""
    return note(cast, author=cast.omar)


def _reflection_shared_with_omar(cast: Cast, **fields: Any) -> Any:
    hers = note(cast, **fields)
    services.share_item(item=hers, coach=cast.omar, acting_user=cast.maya)
    return hers


def _item(make: Callable[[Cast], Any], **path: Callable[[Cast], str]) -> Callable[[Cast], Call]:
    def build(cast: Cast) -> Call:
        return Call({"uuid": str(make(cast).uuid), **{k: v(cast) for k, v in path.items()}})

    return build


def _omar_note_shared_with_sam(cast: Cast) -> Any:
    shared = _omars_meeting_note(cast)
    services.share_item(item=shared, coach=cast.sam, acting_user=cast.maya)
    return shared


def _video_shared_with_lena(cast: Cast) -> Any:
    from ..media.builders import video

    return video(cast, shared_with=cast.lena)


def _uuid(name: str) -> Callable[[Cast], str]:
    return lambda cast: str(getattr(cast, name).uuid)


def _in(**path: Callable[[Cast], str]) -> Callable[[Cast], Call]:
    return lambda cast: Call({k: v(cast) for k, v in path.items()})


def _lenas_observation_of_maya(cast: Cast) -> Any:
    return observations.record(observer=cast.lena, teacher=cast.maya)


def _observation_shared_with_omar(cast: Cast) -> Call:
    seen = _lenas_observation_of_maya(cast)
    services.share_item(item=seen, coach=cast.omar, acting_user=cast.maya)
    return Call({"uuid": str(seen.uuid)}, body={"goal": None})


def _new_observation_of_maya(cast: Cast) -> Call:
    body = observation_cases.payload(
        observations.talk_time_case(),
        teacher=cast.maya,
        start=timezone.now() - datetime.timedelta(minutes=11),
    )
    return Call({"uuid": str(uuid4())}, body=body)


def _session_shared_with_omar(cast: Cast, *, held: bool = False, past: bool = False) -> Any:
    from ..coaching import builders

    made = (
        builders.held(cast)
        if held
        else builders.session(cast, starts_in=datetime.timedelta(hours=-2 if past else 48))
    )
    services.share_item(item=made, coach=cast.omar, acting_user=cast.maya)
    return made


def _suggestion_shared_with_omar(cast: Cast) -> Any:
    from ..coaching import builders

    made = builders.suggestion(cast)
    services.share_item(item=made, coach=cast.omar, acting_user=cast.maya)
    return made


def _mayas_notification(cast: Cast) -> Any:
    from tandem.notifications.services import notify

    return notify(user=cast.maya, text="Coaching session with Lena Brooks", url="/")


def _progress_cycle(cast: Cast, state: str = "improve") -> Any:
    """Maya's cycle with Lena, shared with Omar with its goal; `state`: learn, improve, met
    (the latest measurement at 85 %: Tandem proposes that the goal is met) or closed."""
    from tandem.cycles.models import Goal, Stage
    from tandem.cycles.services import close_cycle

    from ..cycles.progress_builders import cycle_in, measure

    made = cycle_in(cast, Stage.LEARN if state == "learn" else Stage.IMPROVE)
    services.share_item(item=made, coach=cast.omar, acting_user=cast.maya)
    services.share_item(item=Goal.objects.get(cycle=made), coach=cast.omar, acting_user=cast.maya)
    if state == "met":
        measure(made, "50", "85")
    if state == "closed":
        close_cycle(cycle=made, acting_user=cast.maya, reason="A new class.")
    return made


def _cycle_call(state: str = "improve", body: dict[str, Any] | None = None) -> Any:
    return lambda cast: Call({"uuid": str(_progress_cycle(cast, state).uuid)}, body=body)


# The coaching team (tandem/teamwork) -------------------------------------------------


def _every_coach_described(cast: Cast) -> Call:
    """Every coach of the cast has an approach, so each reads her own."""
    from ..teamwork.builders import approach

    for coach in (cast.lena, cast.omar, cast.sam, cast.grace, cast.luis, cast.nia, cast.ruth):
        approach(coach)
    approach(cast.henry)
    return Call()


def _planted_divergence(cast: Cast) -> Call:
    """Lena and Omar mean different things by one term: an agreement answers it."""
    from ..teamwork.builders import planted

    planted(cast)
    return Call(
        {"school_uuid": str(cast.jefferson.uuid)},
        body={"kind": "meanings", "key": "check for understanding", "text": "Exit tickets."},
    )


def _new_initiative(cast: Cast) -> Call:
    name = f"Literacy {uuid4()}"
    return Call({"school_uuid": str(cast.jefferson.uuid)}, body={"name": name})


def _omar_and_sam_advise_maya(cast: Cast) -> list[Any]:
    from tandem.coaching.services import give_suggestion

    return [
        give_suggestion(coach=cast.omar, teacher=cast.maya, text="Tablets for all practice"),
        give_suggestion(coach=cast.sam, teacher=cast.maya, text="Paper to show the work"),
    ]


def _new_flag(cast: Cast) -> Call:
    advice = _omar_and_sam_advise_maya(cast)
    return Call(body={"suggestions": [str(s.uuid) for s in advice], "note": "Which one?"})


def _mayas_flag(body: dict[str, Any] | None = None) -> Callable[[Cast], Call]:
    def build(cast: Cast) -> Call:
        from tandem.teamwork.services import raise_flag

        made = raise_flag(
            suggestions=_omar_and_sam_advise_maya(cast), note="Which?", acting_user=cast.maya
        )
        return Call({"uuid": str(made.uuid)}, body=body)

    return build


def _lenas_strategy(cast: Cast) -> Any:
    """A strategy Lena added to Maple Valley's library."""
    from ..library.builders import added

    return added(cast.lena, name=f"Hands down {uuid4()}")


def _program(cast: Cast) -> Any:
    from ..programs.builders import program

    return program(cast)


def _support(cast: Cast) -> Any:
    """Maya's support with Sam on a program, her choice made (peer visits)."""
    from ..programs.builders import support

    return support(cast, _program(cast))


def _decision(cast: Cast, *, closed: bool = False) -> Any:
    """Dana's decision for Jefferson about one program; `closed`: its deadline has passed."""
    from tandem.programs.models import AdoptionDecision

    from ..programs.builders import decision

    made = decision(cast, _program(cast))
    if closed:
        AdoptionDecision.objects.filter(pk=made.pk).update(
            deadline=timezone.now() - datetime.timedelta(minutes=1)
        )
    return made


def _identify_cycle(cast: Cast, *, with_goal: bool = False) -> Any:
    """Maya's new cycle with Lena (Identify), shared with Omar, with its goal if asked."""
    from ..content import impact_cycle
    from ..cycles import identify

    made = impact_cycle(cast)
    services.share_item(item=made, coach=cast.omar, acting_user=cast.maya)
    if with_goal:
        aim = identify.measured_goal(made)
        services.share_item(item=aim, coach=cast.omar, acting_user=cast.maya)
    made.refresh_from_db()
    return made


def _identify_call(
    body: Callable[[Any], dict[str, Any]] | None = None, *, with_goal: bool = False
) -> Callable[[Cast], Call]:
    def build(cast: Cast) -> Call:
        made = _identify_cycle(cast, with_goal=with_goal)
        return Call({"uuid": str(made.uuid)}, body=body(made) if body else None)

    return build


def _strategy_uuid() -> str:
    from ..cycles import identify

    return str(identify.strategy().uuid)


def _lenas_evidence_shared_with_omar(cast: Cast) -> Any:
    """Lena's interview notes in Maya's cycle, shared with Omar: only Lena removes them."""
    from ..cycles import identify

    notes = identify.text_evidence(_identify_cycle(cast), cast.lena, title="Interview notes")
    services.share_item(item=notes, coach=cast.omar, acting_user=cast.maya)
    return notes


# The matrix ---------------------------------------------------------------------------

# One status per caller: the cast in the order of `WHO` (names cut to four letters so the
# table fits), then an anonymous caller. `#` starts a comment.
TABLE = """
operation                     maya lena omar sam  grac luis nia  dana priy ruth henr hild otto anon
get_me                         200  200  200  200  200  200  200  200  200  200  200  200  200  401
list_schools                   200  200  200  200  200  200  200  200  200  200  200  200  200  401
list_assignments               200  200  200  200  200  200  200  200  200  200  200  200  200  401
# A new Jefferson teacher invited to instructional coaching: Jefferson's instructional
# coaches may (Lena, Nia), its other coaches do not offer it (400), people who coach
# nowhere there may not (403); for Hillview she does not exist (404).
invite_teacher                 403  201  400  400  400  400  201  403  403  403  404  404  404  401
propose_assignment             403  403  403  403  403  403  403  201  201  403  404  404  404  401
# An invitation to Maya from a coach outside the cast; then an assignment with one.
respond_to_assignment          200  404  404  404  404  404  404  403  403  404  404  404  404  401
end_assignment                 200  404  404  404  404  404  404  200  200  404  404  404  404  401
list_tokens                    200  200  200  200  200  200  200  200  200  200  200  200  200  401
# A token cannot mint tokens (a signed-in session can: test_tokens.py).
create_token                   401  401  401  401  401  401  401  401  401  401  401  401  401  401
revoke_token                   204  404  404  404  404  404  404  404  404  404  404  404  404  401
# Maya's goal, shared with Lena only; held back, it is Maya's alone, whatever she shared.
# Maya and her coaches write goals and notes for her; for Hillview she does not exist.
list_goals                     200  200  200  200  200  200  200  200  200  200  200  200  200  401
create_goal                    201  201  201  201  201  201  403  403  403  403  404  404  404  401
get_goal                       200  200  404  404  404  404  404  404  404  404  404  404  404  401
share_goal                     204  403  404  404  404  404  404  404  404  404  404  404  404  401
unshare_goal                   204  403  404  404  404  404  404  404  404  404  404  404  404  401
hold_back_goal                 204  403  404  404  404  404  404  404  404  404  404  404  404  401
release_goal                   204  404  404  404  404  404  404  404  404  404  404  404  404  401
# Omar's meeting note about Maya (hers, and his while he coaches her), also shared with
# Sam to unshare it; Maya's own reflection, shared with Omar, to hold back and release.
list_notes                     200  200  200  200  200  200  200  200  200  200  200  200  200  401
create_note                    201  201  201  201  201  201  403  403  403  403  404  404  404  401
get_note                       200  404  200  404  404  404  404  404  404  404  404  404  404  401
share_note                     204  404  403  404  404  404  404  404  404  404  404  404  404  401
unshare_note                   204  404  403  403  404  404  404  404  404  404  404  404  404  401
hold_back_note                 204  404  403  404  404  404  404  404  404  404  404  404  404  401
release_note                   204  404  404  404  404  404  404  404  404  404  404  404  404  401
# Her own rules, with Omar for goals, or narrowing notes: only a teacher has rules (403);
# Luis teaches, but Omar is not his coach (400; nothing to revoke, 204); for Hilda Omar
# does not exist (404). Everyone reads her own rules, log and history (maybe empty).
get_sharing                    200  200  200  200  200  200  200  200  200  200  200  200  200  401
share_category                 204  403  403  403  403  400  403  403  403  403  403  404  403  401
unshare_category               204  403  403  403  403  204  403  403  403  403  403  404  403  401
narrow_agreement               204  403  403  403  403  204  403  403  403  403  403  204  403  401
widen_agreement                204  403  403  403  403  204  403  403  403  403  403  204  403  401
list_access_events             200  200  200  200  200  200  200  200  200  200  200  200  200  401
list_sharing_changes           200  200  200  200  200  200  200  200  200  200  200  200  200  401
# Jefferson's agreement for notes: read in its district, set by its coaches and principal.
get_school_agreement           200  200  200  200  200  200  200  200  200  200  404  404  404  401
add_to_school_agreement        403  204  204  204  204  204  204  204  403  403  404  404  404  401
remove_from_school_agreement   403  204  204  204  204  204  204  204  403  403  404  404  404  401
# Maya's lesson video, shared with Lena only: the others' lists are empty (200).
list_videos                    200  200  200  200  200  200  200  200  200  200  200  200  200  401
get_video                      200  200  404  404  404  404  404  404  404  404  404  404  404  401
list_video_comments            200  200  404  404  404  404  404  404  404  404  404  404  404  401
add_video_comment              201  201  404  404  404  404  404  404  404  404  404  404  404  401
# Lena's observation of Maya (hers, and Lena's while she coaches her), shared with Omar
# to link a goal: he reads it but may not change it. A new session of Maya: she and her
# coaches sync it; anyone else records no one they do not coach (403, with the reason).
list_observation_sessions      200  200  200  200  200  200  200  200  200  200  200  200  200  401
get_observation_session        200  200  404  404  404  404  404  404  404  404  404  404  404  401
get_observation_session_events_csv 200 200 404 404 404 404 404 404 404 404 404 404 404 401
sync_observation_session       201  201  201  201  201  201  403  403  403  403  403  403  403  401
link_observation_session_goal  200  200  403  404  404  404  404  404  404  404  404  404  404  401
# The strategy library: everyone reads it; Lena's strategy is Maple Valley's own (404 in
# Hillview); coaches and district admins add to their district's (403 for the others).
list_strategies                200  200  200  200  200  200  200  200  200  200  200  200  200  401
get_strategy                   200  200  200  200  200  200  200  200  200  200  404  404  404  401
create_strategy                403  201  201  201  201  201  201  403  201  201  201  403  201  401
list_framework_tags            200  200  200  200  200  200  200  200  200  200  200  200  200  401
# The coaching team: a coach reads and writes her own approach (403 for anyone else);
# Jefferson's team pages for its coaches, its principal and the district admin (the
# leaders at the level of roles); agreements are the coaches' to record (403 for leaders).
get_my_approach                403  200  200  200  200  200  200  403  403  200  200  403  403  401
put_my_approach                403  200  200  200  200  200  200  403  403  200  200  403  403  401
list_school_approaches         404  200  200  200  200  200  200  200  200  404  404  404  404  401
get_alignment_report           404  200  200  200  200  200  200  200  200  404  404  404  404  401
list_initiatives               404  200  200  200  200  200  200  200  200  404  404  404  404  401
create_initiative              404  201  201  201  201  201  201  201  201  404  404  404  404  401
list_agreements                404  200  200  200  200  200  200  200  200  404  404  404  404  401
create_agreement               404  201  201  201  201  201  201  403  403  404  404  404  404  401
# Maya's team and her advice side by side: she and her active coaches. Her flag on Omar's
# and Sam's advice: the three of them (each coach sees only his own suggestion, so only she
# raises this one); only she consents to the agenda (403 for the coaches on it).
get_teacher_team               200  200  200  200  200  200  404  404  404  404  404  404  404  401
list_advice                    200  200  200  200  200  200  404  404  404  404  404  404  404  401
create_contradiction_flag      201  404  404  404  404  404  404  404  404  404  404  404  404  401
get_contradiction_flag         200  404  200  200  404  404  404  404  404  404  404  404  404  401
reply_to_contradiction_flag    201  404  201  201  404  404  404  404  404  404  404  404  404  401
resolve_contradiction_flag     200  404  200  200  404  404  404  404  404  404  404  404  404  401
set_contradiction_flag_consent 200  404  403  403  404  404  404  404  404  404  404  404  404  401
# Lena's sessions with Maya (a past one and an upcoming one, both shared with Omar: he
# reads them but may not change them); a new session is planned by its teacher or coach
# (403 for her other coaches). Lena's suggestion to Maya, shared with Omar: its status is
# Maya's. Maya's own notification: everyone else's list is her own.
list_coaching_sessions         200  200  200  200  200  200  200  200  200  200  200  200  200  401
create_coaching_session        201  201  403  403  403  403  403  403  403  403  404  404  404  401
get_coaching_session           200  200  200  404  404  404  404  404  404  404  404  404  404  401
update_coaching_session        200  200  403  404  404  404  404  404  404  404  404  404  404  401
record_coaching_session_held   200  200  403  404  404  404  404  404  404  404  404  404  404  401
cancel_coaching_session        200  200  403  404  404  404  404  404  404  404  404  404  404  401
list_suggestions               200  200  200  200  200  200  200  200  200  200  200  200  200  401
create_suggestion              403  201  201  201  201  201  403  403  403  403  404  404  404  401
get_suggestion                 200  200  200  404  404  404  404  404  404  404  404  404  404  401
set_suggestion_status          200  403  403  404  404  404  404  404  404  404  404  404  404  401
list_notifications             200  200  200  200  200  200  200  200  200  200  200  200  200  401
mark_notification_read         204  404  404  404  404  404  404  404  404  404  404  404  404  401
mark_all_notifications_read    204  204  204  204  204  204  204  204  204  204  204  204  204  401
# Learn and Improve: Maya's cycle with Lena (goal 36 → 80 %, a checklist), shared with Omar
# with its goal: he reads it and changes nothing. The checklist, how she learns it, the goal
# met and the next cycle are Maya's decisions; in Learn for "ready", met (85 %) to confirm,
# closed for the next cycle. For everyone else the cycle does not exist.
adapt_checklist_item           200  403  403  404  404  404  404  404  404  404  404  404  404  401
add_checklist_item             201  403  403  404  404  404  404  404  404  404  404  404  404  401
choose_learning_mode           200  403  403  404  404  404  404  404  404  404  404  404  404  401
start_improving                200  200  403  404  404  404  404  404  404  404  404  404  404  401
list_cycle_measurements        200  200  200  404  404  404  404  404  404  404  404  404  404  401
add_cycle_measurement          201  201  403  404  404  404  404  404  404  404  404  404  404  401
get_cycle_chart                200  200  200  404  404  404  404  404  404  404  404  404  404  401
list_cycle_adaptations         200  200  200  404  404  404  404  404  404  404  404  404  404  401
add_cycle_adaptation           201  201  403  404  404  404  404  404  404  404  404  404  404  401
record_cycle_conversation      201  201  403  404  404  404  404  404  404  404  404  404  404  401
confirm_cycle_goal_met         200  403  403  404  404  404  404  404  404  404  404  404  404  401
close_cycle                    200  200  403  404  404  404  404  404  404  404  404  404  404  401
start_next_cycle               201  403  403  404  404  404  404  404  404  404  404  404  404  401
# Impact Cycles (Identify): Maya's new cycle with Lena, shared with Omar (with its goal when
# the strategy is chosen): he reads it and changes nothing; only the evidence's author
# removes it. A cycle starts between a teacher and a coach who coaches her now (403 for
# anyone else in the district; for Hillview Maya does not exist).
list_cycles                    200  200  200  200  200  200  200  200  200  200  200  200  200  401
create_cycle                   403  201  201  201  201  201  403  403  403  403  404  404  404  401
get_cycle                      200  200  200  404  404  404  404  404  404  404  404  404  404  401
save_cycle_conversation        200  200  403  404  404  404  404  404  404  404  404  404  404  401
set_cycle_goal                 201  201  403  404  404  404  404  404  404  404  404  404  404  401
choose_cycle_strategy          200  200  403  404  404  404  404  404  404  404  404  404  404  401
list_cycle_evidence            200  200  200  404  404  404  404  404  404  404  404  404  404  401
add_cycle_evidence             201  201  403  404  404  404  404  404  404  404  404  404  404  401
remove_cycle_evidence          403  204  403  404  404  404  404  404  404  404  404  404  404  401
# Programs: read across the district, made by its leaders. A decision Dana opened for
# Jefferson (its deadline passed, to record it): its teachers give input, its leaders
# record it; for everyone else it does not exist.
list_programs                  200  200  200  200  200  200  200  200  200  200  200  200  200  401
get_program                    200  200  200  200  200  200  200  200  200  200  404  404  404  401
create_program                 403  403  403  403  403  403  403  201  201  403  403  403  201  401
list_decisions                 200  200  200  200  200  200  200  200  200  200  200  200  200  401
get_decision                   200  404  404  404  404  200  404  200  200  404  404  404  404  401
create_decision                403  403  403  403  403  403  403  201  201  403  404  404  404  401
give_decision_input            200  404  404  404  404  200  404  403  403  404  404  404  404  401
record_decision                403  404  404  404  404  403  404  200  200  404  404  404  404  401
# Technical support: Maya's with Sam, coaching content (only the two of them know it
# exists); Maya chooses its kind and adapts, both log and turn it into a cycle. Feedback
# from the program's teachers; its aggregates and "You said, we did" from its leaders.
list_program_support           200  200  200  200  200  200  200  200  200  200  200  200  200  401
get_program_support            200  404  404  200  404  404  404  404  404  404  404  404  404  401
start_program_support          201  403  403  201  403  403  403  403  403  403  404  404  404  401
choose_program_support_kind    200  404  404  403  404  404  404  404  404  404  404  404  404  401
add_implementation_log_entry   201  404  404  201  404  404  404  404  404  404  404  404  404  401
adapt_program_component        201  404  404  403  404  404  404  404  404  404  404  404  404  401
support_to_impact_cycle        201  404  404  201  404  404  404  404  404  404  404  404  404  401
give_program_feedback          201  403  403  403  403  201  403  403  403  403  404  404  404  401
get_program_learning           403  403  403  403  403  403  403  200  200  403  404  404  404  401
list_program_responses         200  200  200  200  200  200  200  200  200  200  404  404  404  401
add_program_response           403  403  403  403  403  403  403  201  201  403  404  404  404  401
# The coaches' thread of Jefferson: its coaches and principal, coach to coach; not its
# teacher, not the district admin, nobody at Lincoln or in Hillview.
get_team_thread                404  200  200  200  200  200  200  200  404  404  404  404  404  401
list_thread_messages           404  200  200  200  200  200  200  200  404  404  404  404  404  401
post_thread_message            404  201  201  201  201  201  201  201  404  404  404  404  404  401
mark_thread_read               404  200  200  200  200  200  200  200  404  404  404  404  404  401
list_shared_resources          404  200  200  200  200  200  200  200  404  404  404  404  404  401
add_shared_resource            404  201  201  201  201  201  201  201  404  404  404  404  404  401
# Jefferson's weekly coaches' check-in: its coaches are its members (Dana only when
# leaders are invited, not here); a coach or leader of the school plans one (for anyone
# else the school is not theirs: 404). Everyone lists the series she belongs to.
list_checkin_series            200  200  200  200  200  200  200  200  200  200  200  200  200  401
create_checkin_series          404  201  201  201  201  201  201  201  404  404  404  404  404  401
get_checkin                    404  200  200  200  200  200  200  404  404  404  404  404  404  401
add_checkin_action_item        404  201  201  201  201  201  201  404  404  404  404  404  404  401
set_checkin_action_item_done   404  200  200  200  200  200  200  404  404  404  404  404  404  401
"""


def _jefferson_thread(cast: Cast) -> str:
    from tandem.threads.services import team_thread

    return str(team_thread(school=cast.jefferson, acting_user=cast.lena).uuid)


THREAD_CALLS: dict[str, Callable[[Cast], Call]] = {
    "get_team_thread": lambda cast: Call({"school_uuid": str(cast.jefferson.uuid)}),
    "list_thread_messages": lambda cast: Call({"thread_uuid": _jefferson_thread(cast)}),
    "post_thread_message": lambda cast: Call(
        {"thread_uuid": _jefferson_thread(cast)}, body={"text": "Thanks @Omar Haddad!"}
    ),
    "mark_thread_read": lambda cast: Call({"thread_uuid": _jefferson_thread(cast)}, body={}),
    "list_shared_resources": lambda cast: Call({"school_uuid": str(cast.jefferson.uuid)}),
    "add_shared_resource": lambda cast: Call(
        {"school_uuid": str(cast.jefferson.uuid)},
        body={"title": "Number talks", "url": "https://example.org/nt", "tags": ["math"]},
    ),
}


def _first_checkin(cast: Cast) -> Any:
    from ..checkins.builders import weekly

    return weekly(cast).checkins.order_by("starts_at")[0]


def _open_action_item(cast: Cast) -> Any:
    from tandem.checkins.services import add_action_item

    return add_action_item(acting_user=cast.lena, checkin=_first_checkin(cast), text="Share it")


CHECKIN_CALLS: dict[str, Callable[[Cast], Call]] = {
    "create_checkin_series": lambda cast: Call(
        body={
            "school": str(cast.jefferson.uuid),
            "title": "Coaches' check-in",
            "first_date": "2025-10-21",
            "start_time": "09:00",
            "count": 4,
        }
    ),
    "get_checkin": lambda cast: Call({"checkin_uuid": str(_first_checkin(cast).uuid)}),
    "add_checkin_action_item": lambda cast: Call(
        {"checkin_uuid": str(_first_checkin(cast).uuid)}, body={"text": "Share the template"}
    ),
    "set_checkin_action_item_done": lambda cast: Call(
        {"item_uuid": str(_open_action_item(cast).uuid)}, body={"done": True}
    ),
}

# What each request sends, built afresh for every request; an operation not named here
# sends nothing.
CALLS: dict[str, Callable[[Cast], Call]] = {
    "invite_teacher": _invitation_of_a_new_teacher,
    "propose_assignment": _proposal_for_a_new_teacher,
    "respond_to_assignment": _maya_invited_by_a_new_coach,
    "end_assignment": _maya_coached_by_a_new_coach,
    "create_token": lambda cast: Call(body={"name": "observation app"}),
    "revoke_token": _mayas_token,
    "create_goal": lambda cast: Call(
        body={"teacher": str(cast.maya.uuid), "statement": "Reasoning"}
    ),
    "get_goal": _item(_goal_shared_with_lena),
    "share_goal": _item(_goal_shared_with_lena, coach_uuid=_uuid("omar")),
    "unshare_goal": _item(_goal_shared_with_lena, coach_uuid=_uuid("lena")),
    "hold_back_goal": _item(_goal_shared_with_lena),
    "release_goal": _item(lambda cast: _goal_shared_with_lena(cast, held_back=True)),
    "create_note": lambda cast: Call(
        body={"teacher": str(cast.maya.uuid), "title": "Debrief", "body": "Wait time helped."}
    ),
    "get_note": _item(_omars_meeting_note),
    "share_note": _item(_omars_meeting_note, coach_uuid=_uuid("sam")),
    "unshare_note": _item(_omar_note_shared_with_sam, coach_uuid=_uuid("sam")),
    "hold_back_note": _item(_reflection_shared_with_omar),
    "release_note": _item(lambda cast: _reflection_shared_with_omar(cast, held_back=True)),
    "share_category": _in(coach_uuid=_uuid("omar"), category=lambda cast: "goals"),
    "unshare_category": _in(coach_uuid=_uuid("omar"), category=lambda cast: "goals"),
    "narrow_agreement": _in(category=lambda cast: "notes"),
    "widen_agreement": _in(category=lambda cast: "notes"),
    "get_school_agreement": _in(school_uuid=_uuid("jefferson")),
    "add_to_school_agreement": _in(school_uuid=_uuid("jefferson"), category=lambda cast: "notes"),
    "remove_from_school_agreement": _in(
        school_uuid=_uuid("jefferson"), category=lambda cast: "notes"
    ),
    "get_video": _item(_video_shared_with_lena),
    "list_video_comments": _item(_video_shared_with_lena),
    "add_video_comment": lambda cast: Call(
        {"uuid": str(_video_shared_with_lena(cast).uuid)},
        body={"at_seconds": 1.5, "kind": "question", "body": "What did they say here?"},
    ),
    "get_observation_session": _item(_lenas_observation_of_maya),
    "get_observation_session_events_csv": _item(_lenas_observation_of_maya),
    "sync_observation_session": _new_observation_of_maya,
    "link_observation_session_goal": _observation_shared_with_omar,
    "get_strategy": _item(_lenas_strategy),
    "create_strategy": lambda cast: Call(
        body={
            "name": f"Stop and jot {uuid4()}",
            "summary": "Students write one line about what they just learned.",
            "description": "A short writing break in the lesson.",
            "checklist": ["Pause the lesson.", "Give one prompt."],
        }
    ),
    "get_my_approach": _every_coach_described,
    "put_my_approach": lambda cast: Call(body={"model": "impact_cycle", "meetings": 1}),
    "list_school_approaches": _in(school_uuid=_uuid("jefferson")),
    "get_alignment_report": _in(school_uuid=_uuid("jefferson")),
    "list_initiatives": _in(school_uuid=_uuid("jefferson")),
    "create_initiative": _new_initiative,
    "list_agreements": _in(school_uuid=_uuid("jefferson")),
    "create_agreement": _planted_divergence,
    "get_teacher_team": _in(teacher_uuid=_uuid("maya")),
    "list_advice": _in(teacher_uuid=_uuid("maya")),
    "create_contradiction_flag": _new_flag,
    "get_contradiction_flag": _mayas_flag(),
    "reply_to_contradiction_flag": _mayas_flag({"text": "Let's talk."}),
    "resolve_contradiction_flag": _mayas_flag({"resolution": "Both, by task."}),
    "set_contradiction_flag_consent": _mayas_flag({"consent": True}),
    "create_coaching_session": lambda cast: Call(
        body={
            "teacher": str(cast.maya.uuid),
            "coach": str(cast.lena.uuid),
            "kind": "modeling",
            "starts_at": (timezone.now() + datetime.timedelta(days=2)).isoformat(),
        }
    ),
    "get_coaching_session": _item(lambda cast: _session_shared_with_omar(cast, held=True)),
    "update_coaching_session": lambda cast: Call(
        {"uuid": str(_session_shared_with_omar(cast).uuid)},
        body={
            "starts_at": (timezone.now() + datetime.timedelta(days=4)).isoformat(),
            "duration_minutes": 30,
            "place": "Library",
        },
    ),
    "record_coaching_session_held": lambda cast: Call(
        {"uuid": str(_session_shared_with_omar(cast, past=True).uuid)}, body={"notes": "Done."}
    ),
    "cancel_coaching_session": _item(_session_shared_with_omar),
    "create_suggestion": lambda cast: Call(
        body={"teacher": str(cast.maya.uuid), "text": "Try wait time."}
    ),
    "get_suggestion": _item(_suggestion_shared_with_omar),
    "set_suggestion_status": lambda cast: Call(
        {"uuid": str(_suggestion_shared_with_omar(cast).uuid)}, body={"status": "trying"}
    ),
    "mark_notification_read": _item(_mayas_notification),
    # Learn and Improve
    "adapt_checklist_item": _cycle_call(
        body={"position": 1, "text": "Ask the table groups", "reason": "We sit in groups."}
    ),
    "add_checklist_item": _cycle_call(body={"text": "Pairs rehearse", "reason": "Confidence."}),
    "choose_learning_mode": _cycle_call(body={"mode": "modeling"}),
    "start_improving": _cycle_call("learn", body={}),
    "list_cycle_measurements": _cycle_call(),
    "add_cycle_measurement": _cycle_call(
        body={"taken_on": timezone.localdate().isoformat(), "value": "52.5"}
    ),
    "get_cycle_chart": _cycle_call(),
    "list_cycle_adaptations": _cycle_call(),
    "add_cycle_adaptation": _cycle_call(
        body={"kind": "use", "change": "Wait time twice", "reason": "Rushed answers."}
    ),
    "record_cycle_conversation": _cycle_call(
        body={
            "held_at": (timezone.now() - datetime.timedelta(hours=2)).isoformat(),
            "notes": "Longer answers.",
            "next_steps": ["Sentence starters"],
        }
    ),
    "confirm_cycle_goal_met": _cycle_call("met", body={}),
    "close_cycle": _cycle_call(body={"reason": "A new class."}),
    "start_next_cycle": _cycle_call("closed"),
    # Impact Cycles (Identify)
    "create_cycle": lambda cast: Call(body={"partner": str(cast.maya.uuid)}),
    "get_cycle": _identify_call(),
    "save_cycle_conversation": _identify_call(
        lambda made: {"lesson_rating": 6, "students_differently": "Talk", "version": made.version}
    ),
    "set_cycle_goal": _identify_call(
        lambda made: {"statement": "Students explain", "baseline": "35", "target": "80"}
    ),
    "choose_cycle_strategy": _identify_call(
        lambda made: {"strategy": _strategy_uuid(), "version": made.version}, with_goal=True
    ),
    "list_cycle_evidence": _identify_call(),
    "add_cycle_evidence": _identify_call(
        lambda made: {"kind": "student_interview", "title": "Asked", "text": "They liked pairs."}
    ),
    "remove_cycle_evidence": _item(_lenas_evidence_shared_with_omar),
    "get_program": lambda cast: Call({"uuid": str(_program(cast).uuid)}),
    "create_program": lambda cast: Call(body={"name": f"Program {uuid4()}"}),
    "get_decision": lambda cast: Call({"uuid": str(_decision(cast).uuid)}),
    "create_decision": lambda cast: Call(
        body={
            "school": str(cast.jefferson.uuid),
            "question": "Which program?",
            "deadline": (timezone.now() + datetime.timedelta(days=3)).isoformat(),
            "candidates": [str(_program(cast).uuid)],
        }
    ),
    "give_decision_input": lambda cast: Call(
        {"uuid": str(_decision(cast).uuid)}, body={"anonymous": False, "preference": "for"}
    ),
    "record_decision": lambda cast: Call(
        {"uuid": str(_decision(cast, closed=True).uuid)},
        body={"rationale": "Teachers asked for it.", "how_input_shaped": "It decided it."},
    ),
    "get_program_support": lambda cast: Call({"uuid": str(_support(cast).uuid)}),
    "start_program_support": lambda cast: Call(
        body={
            "teacher": str(cast.maya.uuid),
            "coach": str(cast.sam.uuid),
            "program": str(_program(cast).uuid),
        }
    ),
    "choose_program_support_kind": lambda cast: Call(
        {"uuid": str(_support(cast).uuid)}, body={"kind": "co_teaching"}
    ),
    "add_implementation_log_entry": lambda cast: Call(
        {"uuid": str(_support(cast).uuid)},
        body={
            "day": timezone.localdate().isoformat(),
            "components": [1],
            "student_work": "Most explained two strategies.",
        },
    ),
    "adapt_program_component": lambda cast: Call(
        {"uuid": str(_support(cast).uuid)},
        body={"component": 1, "what": "Pairs first", "for_whom": "Some", "reason": "Time"},
    ),
    "support_to_impact_cycle": lambda cast: Call({"uuid": str(_support(cast).uuid)}),
    "give_program_feedback": lambda cast: Call(
        {"uuid": str(_program(cast).uuid)},
        body={"about": "program", "useful": 4, "clear": 3, "heard": 5},
    ),
    "get_program_learning": lambda cast: Call({"uuid": str(_program(cast).uuid)}),
    "list_program_responses": lambda cast: Call({"uuid": str(_program(cast).uuid)}),
    "add_program_response": lambda cast: Call(
        {"uuid": str(_program(cast).uuid)}, body={"heard": "More time", "did": "Two days"}
    ),
    **THREAD_CALLS,
    **CHECKIN_CALLS,
}


def _read_table(text: str) -> dict[str, Row]:
    lines = [line for line in text.strip().splitlines() if not line.startswith("#")]
    header, *rows = (line.split() for line in lines)
    assert header == ["operation", *(who[:4] for who in WHO)], "the table's columns are WHO"
    matrix = {}
    for operation_id, *statuses in rows:
        assert len(statuses) == len(WHO), f"{operation_id}: one status for each of {WHO}"
        assert operation_id not in matrix, f"{operation_id} is in the table twice"
        matrix[operation_id] = Row(
            tuple(int(s) for s in statuses), CALLS.get(operation_id, _nothing)
        )
    return matrix


MATRIX = _read_table(TABLE)


# Operations on one item of coaching content (`/goals/{uuid}…`, `/notes/{uuid}…`).
CONTENT = sorted(
    operation_id
    for operation_id, (_method, path) in OPERATIONS.items()
    if path.startswith(("/goals/{uuid}", "/notes/{uuid}"))
)


def test_every_operation_is_in_the_matrix() -> None:
    missing = set(OPERATIONS) - set(MATRIX)
    assert not missing, f"add {sorted(missing)} to TABLE, with a status for each of {WHO}"
    assert not set(MATRIX) - set(OPERATIONS), "MATRIX names an operation that is gone"
    assert not set(CALLS) - set(MATRIX), "CALLS names an operation that is not in the table"


def test_every_content_operation_shows_a_real_item_to_someone_and_hides_it_from_others() -> None:
    assert CONTENT, "no content operations found"
    for operation_id in CONTENT:
        statuses = MATRIX[operation_id].statuses
        assert any(200 <= s < 300 for s in statuses), operation_id
        assert 404 in statuses, operation_id


def test_a_coach_who_sees_an_item_may_not_change_it() -> None:
    for operation_id in CONTENT:
        method, _path = OPERATIONS[operation_id]
        if method == "GET" or operation_id.startswith("release_"):
            continue  # a released item was held back: nobody but its teacher sees it
        assert 403 in MATRIX[operation_id].statuses, operation_id


def _client(user: User | None) -> Client:
    if user is None:
        return Client()
    _token, raw = ApiToken.issue(user=user, name="matrix")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _send(client: Client, method: str, path: str, call: Call) -> Any:
    url = API + path.format(**call.path)
    if call.query:
        url += "?" + "&".join(f"{k}={v}" for k, v in call.query.items())
    if call.body is None:
        return client.generic(method, url)
    return client.generic(method, url, data=json.dumps(call.body), content_type="application/json")


@pytest.mark.parametrize("operation_id", sorted(MATRIX))
def test_each_person_gets_exactly_what_the_matrix_says(
    operation_id: str, cast: Cast, record_property: Callable[[str, object], None]
) -> None:
    method, path = OPERATIONS[operation_id]
    row = MATRIX[operation_id]
    people: dict[str, User | None] = {**cast.everyone(), "anonymous": None}
    wrong, cases = [], 0
    for who, expected in zip(WHO, row.statuses, strict=True):
        client = _client(people[who])
        call = row.call(cast)
        response = _send(client, method, path, call)
        cases += 1
        if response.status_code != expected:
            wrong.append(
                f"{who}: {response.status_code} (expected {expected}) {response.content!r}"
            )
        elif expected == 404 and call.path:
            # Not hers to see reads exactly as never existed.
            random = {
                name: value if name == "category" else str(uuid4())
                for name, value in call.path.items()
            }
            missing = _send(client, method, path, Call(random, call.query, call.body))
            cases += 1
            if (missing.status_code, missing.content) != (404, response.content):
                wrong.append(f"{who}: the 404 differs from a random UUID's ({missing.content!r})")
    record_property("authorization_cases", cases)
    assert not wrong, f"{operation_id}: " + "; ".join(wrong)
