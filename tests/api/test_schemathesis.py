"""The API against its own OpenAPI document, in-process, as several members of the cast.

Two guarantees:
- generated requests (valid and invalid) from a teacher, a coach, a principal and
  a district admin never cause a server error, and every answer conforms to the
  document (status declared, body matching its schema, content type);
- every operation in the document succeeds (2xx) at least once, from the
  table of valid calls below — which must name every operation, so a new
  operation without an example fails `test_every_operation_has_a_valid_example`.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import ignored_auth

from tandem.accounts.models import ApiToken, User
from tandem.privacy import services
from tandem.schools.models import AssignmentStatus
from tandem.wsgi import application

from .. import factories as f
from ..cast import Cast
from ..observations import cases as observation_cases
from ..observations import sessions as observations
from .conftest import API
from .items import goal, note

pytestmark = pytest.mark.django_db

CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            # A well-formed request may still break one of the services' rules
            # ("already answered", "does not teach here"): that is a 400, not a bug.
            "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404"]},
        },
        # The tests send real credentials; generated ones would only replace them.
        "generation": {"with-security-parameters": False},
    }
)
schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", application, config=CONFIG)
OPERATION_IDS = sorted(
    operation["operationId"]
    for item in schema.raw_schema["paths"].values()
    for operation in item.values()
)


@contextmanager
def _in_test_transaction() -> Iterator[None]:
    """Each call in a savepoint rolled back afterwards, so examples do not see each other's
    writes; and the test's connection kept open across the request, as Django's own test
    client keeps it (the WSGI handler would otherwise close it on request_started/finished).
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


Credentials = tuple[dict[str, str], dict[str, str]]  # headers, cookies


def _credentials(user: User, *, session: bool = False) -> Credentials:
    """A fresh personal access token; or a signed-in session with its CSRF token."""
    if not session:
        _token, raw = ApiToken.issue(user=user, name="schemathesis")
        return {"Authorization": f"Bearer {raw}"}, {}
    client = Client()
    client.force_login(user)
    csrf = get_random_string(32)
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf}
    return {"X-CSRFToken": csrf}, cookies


# Generated requests ----------------------------------------------------------------------

# A teacher, a coach, a principal and a district admin with tokens; and the teacher's
# browser session, the only way in to create a token.
MEMBERS = ["maya", "lena", "dana", "priya", "maya/session"]


@pytest.mark.fuzz
@pytest.mark.parametrize("member", MEMBERS)
@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    # One cast per operation and member, shared by its examples (each rolled back).
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_generated_requests_never_break_the_api_or_its_document(
    case: schemathesis.Case, member: str, cast: Cast
) -> None:
    name, _, how = member.partition("/")
    headers, cookies = _credentials(cast.everyone()[name], session=how == "session")
    # Cookies set on a generated case count as generated for `ignored_auth`, which would
    # then call a real session "invalid auth that was accepted": the token members and
    # the valid examples below run that check.
    case.cookies = {**(case.cookies or {}), **cookies}
    excluded = [ignored_auth] if cookies else []
    with _in_test_transaction():
        case.call_and_validate(headers=headers, excluded_checks=excluded)


# One valid call per operation -----------------------------------------------------------


@dataclass
class Call:
    """A valid request: who sends it, and what. `session` sends a signed-in browser
    session with its CSRF token instead of a personal access token."""

    user: User
    path_parameters: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    session: bool = False


def _invitation_for_ben(cast: Cast) -> Call:
    ben = f.teacher(cast.jefferson, "Ben Carter")
    invitation = f.assign(cast.nia, ben, cast.jefferson, status=AssignmentStatus.INVITED)
    return Call(ben, {"uuid": str(invitation.uuid)}, body={"answer": "accept"})


def _proposal(cast: Cast) -> Call:
    ben = f.teacher(cast.jefferson, "Ben Carter")
    body = {
        "school": str(cast.jefferson.uuid),
        "coach": str(cast.nia.uuid),
        "teacher": str(ben.uuid),
        "specialty": "instructional",
        "focus": "Student discourse",
        "starts_on": timezone.localdate().isoformat(),
    }
    return Call(cast.dana, body=body)


def _revocation(cast: Cast) -> Call:
    token, _raw = ApiToken.issue(user=cast.maya, name="old laptop")
    return Call(cast.maya, {"uuid": str(token.uuid)})


def _shared_goal(cast: Cast) -> Call:
    """Omar reads a goal Maya shared with him."""
    hers = goal(cast)
    services.share_item(item=hers, coach=cast.omar, acting_user=cast.maya)
    return Call(cast.omar, {"uuid": str(hers.uuid)})


def _item_share(kind: str, cast: Cast) -> Call:
    """Maya shares (or stops sharing) one of her items with Grace."""
    hers = goal(cast) if kind == "goals" else note(cast)
    services.share_item(item=hers, coach=cast.grace, acting_user=cast.maya)
    return Call(cast.maya, {"uuid": str(hers.uuid), "coach_uuid": str(cast.grace.uuid)})


def _hold(kind: str, cast: Cast, *, held_back: bool) -> Call:
    hers = goal(cast, held_back=held_back) if kind == "goals" else note(cast, held_back=held_back)
    return Call(cast.maya, {"uuid": str(hers.uuid)})


def _category_share(cast: Cast) -> Call:
    return Call(cast.maya, {"coach_uuid": str(cast.sam.uuid), "category": "video"})


def _agreement(cast: Cast) -> Call:
    return Call(cast.lena, {"school_uuid": str(cast.jefferson.uuid), "category": "notes"})


def _looked_at(cast: Cast) -> Call:
    services.record_access(viewer=cast.luis, items=[goal(cast), note(cast)], path="/goals/")
    return Call(cast.maya, query={"page": "1", "page_size": "10"})


def _changed(cast: Cast) -> Call:
    services.share_category(
        teacher=cast.maya, coach=cast.lena, category="goals", acting_user=cast.maya
    )
    services.set_agreement(
        school=cast.jefferson, category="notes", shared=True, acting_user=cast.dana
    )
    return Call(cast.maya)


def _observation(cast: Cast) -> Any:
    """Lena's observation of Maya, synced as the offline tools sync it."""
    return observations.record(observer=cast.lena, teacher=cast.maya)


def _observation_synced(cast: Cast) -> Call:
    """Lena syncs a talk-time session of Maya's lesson from her phone, with its own id."""
    start = timezone.now() - datetime.timedelta(minutes=11)
    body = observation_cases.payload(observations.talk_time_case(), teacher=cast.maya, start=start)
    return Call(cast.lena, {"uuid": str(uuid.uuid4())}, body=body)


def _lenas_session(cast: Cast, *, starts_in: Any = None) -> Any:
    """Lena's session with Maya, two days ahead (or as given)."""
    import datetime

    from ..coaching import builders

    return builders.session(cast, starts_in=starts_in or datetime.timedelta(days=2))


def _coaching_examples() -> dict[str, Callable[[Cast], Call]]:
    import datetime

    from django.utils import timezone

    from tandem.notifications.services import notify

    from ..coaching import builders

    later = (timezone.now() + datetime.timedelta(days=3)).isoformat()

    def one(make: Callable[[Cast], Any], who: str = "lena", **body: Any) -> Callable[[Cast], Call]:
        return lambda cast: Call(
            getattr(cast, who), {"uuid": str(make(cast).uuid)}, body=body or None
        )

    return {
        "list_coaching_sessions": lambda cast: Call(cast.maya, query={"page_size": "5"}),
        "create_coaching_session": lambda cast: Call(
            cast.maya,
            body={
                "teacher": str(cast.maya.uuid),
                "coach": str(cast.omar.uuid),
                "kind": "co_teaching",
                "starts_at": later,
                "duration_minutes": 50,
                "place": "Room 12",
            },
        ),
        "get_coaching_session": one(_lenas_session, "maya"),
        "update_coaching_session": one(
            _lenas_session, starts_at=later, duration_minutes=30, place="Library"
        ),
        "record_coaching_session_held": one(
            lambda cast: _lenas_session(cast, starts_in=-datetime.timedelta(hours=1)),
            notes="We modeled wait time.",
        ),
        "cancel_coaching_session": one(_lenas_session),
        "list_suggestions": lambda cast: Call(cast.maya),
        "create_suggestion": lambda cast: Call(
            cast.lena, body={"teacher": str(cast.maya.uuid), "text": "Try wait time."}
        ),
        "get_suggestion": one(builders.suggestion, "maya"),
        "set_suggestion_status": one(builders.suggestion, "maya", status="done"),
        "list_notifications": lambda cast: Call(cast.maya),
        "mark_notification_read": lambda cast: Call(
            cast.maya, {"uuid": str(notify(user=cast.maya, text="Session soon").uuid)}
        ),
        "mark_all_notifications_read": lambda cast: Call(cast.maya),
    }


COACHING_EXAMPLES = _coaching_examples()


def _described(cast: Cast) -> Call:
    from ..teamwork.builders import approach

    approach(cast.lena)
    return Call(cast.lena)


def _divergence(cast: Cast) -> Call:
    from ..teamwork.builders import planted

    planted(cast)
    body = {"kind": "meanings", "key": "check for understanding", "text": "Exit tickets."}
    return Call(cast.lena, {"school_uuid": str(cast.jefferson.uuid)}, body=body)


def _at_jefferson(user: str) -> Callable[[Cast], Call]:
    return lambda cast: Call(getattr(cast, user), {"school_uuid": str(cast.jefferson.uuid)})


def _advice(cast: Cast) -> list[Any]:
    """Omar's and Sam's advice to Maya, pulling in different directions."""
    from tandem.coaching.services import give_suggestion

    return [
        give_suggestion(coach=cast.omar, teacher=cast.maya, text="Tablets for all practice"),
        give_suggestion(coach=cast.sam, teacher=cast.maya, text="Paper to show the work"),
    ]


def _flagged(user: str, body: dict[str, Any] | None = None) -> Callable[[Cast], Call]:
    """Maya's flag on that advice, sent to by one of the three people on it."""

    def build(cast: Cast) -> Call:
        from tandem.teamwork.services import raise_flag

        made = raise_flag(suggestions=_advice(cast), note="Which?", acting_user=cast.maya)
        return Call(getattr(cast, user), {"uuid": str(made.uuid)}, body=body)

    return build


# The coaching team (tandem/teamwork).
TEAMWORK_EXAMPLES: dict[str, Callable[[Cast], Call]] = {
    "get_my_approach": _described,
    "put_my_approach": lambda cast: Call(
        cast.omar,
        body={
            "model": "technology",
            "meetings": 2,
            "per": "month",
            "measure": "Minutes of device use",
            "glossary": [{"term": "Exit ticket", "meaning": "A quick form", "synonyms": []}],
        },
    ),
    "list_school_approaches": _at_jefferson("dana"),
    "get_alignment_report": _at_jefferson("lena"),
    "list_initiatives": _at_jefferson("priya"),
    "create_initiative": lambda cast: Call(
        cast.dana,
        {"school_uuid": str(cast.jefferson.uuid)},
        body={"name": "Literacy across the content areas", "description": "Reading everywhere"},
    ),
    "list_agreements": _at_jefferson("sam"),
    "create_agreement": _divergence,
    "get_teacher_team": lambda cast: Call(cast.maya, {"teacher_uuid": str(cast.maya.uuid)}),
    "list_advice": lambda cast: Call(cast.omar, {"teacher_uuid": str(cast.maya.uuid)}),
    "create_contradiction_flag": lambda cast: Call(
        cast.maya,
        body={"suggestions": [str(s.uuid) for s in _advice(cast)], "note": "Which one?"},
    ),
    "get_contradiction_flag": _flagged("sam"),
    "reply_to_contradiction_flag": _flagged("omar", {"text": "Let's talk."}),
    "resolve_contradiction_flag": _flagged("sam", {"resolution": "Both, by task."}),
    "set_contradiction_flag_consent": _flagged("maya", {"consent": True}),
}


def _jefferson_thread(cast: Cast) -> str:
    from tandem.threads.services import post_message, team_thread

    made = team_thread(school=cast.jefferson, acting_user=cast.lena)
    post_message(thread=made, acting_user=cast.lena, text="<b>Hello</b> @Omar Haddad")
    return str(made.uuid)


# The coaches' thread and shared resources (tandem/threads).
THREAD_EXAMPLES: dict[str, Callable[[Cast], Call]] = {
    "get_team_thread": _at_jefferson("nia"),
    "list_thread_messages": lambda cast: Call(cast.omar, {"thread_uuid": _jefferson_thread(cast)}),
    "post_thread_message": lambda cast: Call(
        cast.sam,
        {"thread_uuid": _jefferson_thread(cast)},
        body={"text": "It worked in 7B", "kind": "success"},
    ),
    "mark_thread_read": lambda cast: Call(
        cast.lena, {"thread_uuid": _jefferson_thread(cast)}, body={"up_to": 1}
    ),
    "list_shared_resources": lambda cast: Call(
        cast.dana, {"school_uuid": str(cast.jefferson.uuid)}, query={"tag": "math"}
    ),
    "add_shared_resource": lambda cast: Call(
        cast.grace,
        {"school_uuid": str(cast.jefferson.uuid)},
        body={
            "title": "Number talks",
            "url": "https://example.org/nt",
            "description": "Ten minutes a day",
            "tags": ["math", "fluency"],
            "note": "For @Sam Okafor",
        },
    ),
}


def _lenas_strategy(cast: Cast) -> Any:
    """A strategy Lena added to Maple Valley's library."""
    from ..library.builders import added

    return added(cast.lena)


def _framework(cast: Cast) -> Call:
    """Maple Valley's framework, set by its district admin."""
    from tandem.library.services import set_framework

    set_framework(acting_user=cast.priya, framework="MV", tags=[("1", "Planning")])
    return Call(cast.maya)


def _progress(cast: Cast, state: str = "improve") -> Any:
    """Maya's cycle with Lena (goal 36 → 80 %): in Learn, in Improve, at 85 % (met
    proposed) or closed."""
    from tandem.cycles.models import Stage
    from tandem.cycles.services import close_cycle

    from ..cycles.progress_builders import cycle_in, measure

    made = cycle_in(cast, Stage.LEARN if state == "learn" else Stage.IMPROVE)
    if state == "met":
        measure(made, "50", "85")
    if state == "closed":
        close_cycle(cycle=made, acting_user=cast.maya, reason="A new class.")
    return made


def _on_cycle(
    who: str, state: str = "improve", body: dict[str, Any] | None = None
) -> Callable[[Cast], Call]:
    return lambda cast: Call(
        getattr(cast, who), {"uuid": str(_progress(cast, state).uuid)}, body=body
    )


def _conversation(cast: Cast) -> Call:
    held_at = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    body = {"held_at": held_at, "notes": "The tickets.", "next_steps": ["Sentence starters"]}
    return _on_cycle("lena", body=body)(cast)


def _measurement(cast: Cast) -> Call:
    body = {"taken_on": timezone.localdate().isoformat(), "value": "61", "note": "exit ticket"}
    return _on_cycle("lena", body=body)(cast)


# Learn and Improve of an Impact Cycle.
PROGRESS_EXAMPLES: dict[str, Callable[[Cast], Call]] = {
    "adapt_checklist_item": _on_cycle(
        "maya", body={"position": 2, "text": "Wait five seconds", "reason": "Why"}
    ),
    "add_checklist_item": _on_cycle("maya", body={"text": "Pairs first", "reason": "Confidence"}),
    "choose_learning_mode": _on_cycle("maya", body={"mode": "co_teaching"}),
    "start_improving": _on_cycle("lena", "learn", {}),
    "list_cycle_measurements": _on_cycle("lena", "met"),
    "add_cycle_measurement": _measurement,
    "get_cycle_chart": _on_cycle("maya", "met"),
    "list_cycle_adaptations": _on_cycle("maya"),
    "add_cycle_adaptation": _on_cycle(
        "lena", body={"kind": "strategy", "change": "Cold call pairs", "reason": "Less fear"}
    ),
    "record_cycle_conversation": _conversation,
    "confirm_cycle_goal_met": _on_cycle("maya", "met", {}),
    "close_cycle": _on_cycle("lena", body={"reason": "New class"}),
    "start_next_cycle": _on_cycle("maya", "closed"),
}


# Programs and adoption decisions (tests/programs/builders.py).
def _program(cast: Cast) -> Any:
    from ..programs.builders import program

    return program(cast)


def _decision(cast: Cast) -> Any:
    from ..programs.builders import decision

    return decision(cast, _program(cast))


def _support(cast: Cast) -> Any:
    from ..programs.builders import support

    return support(cast, _program(cast))


def _decided_after_everyone(cast: Cast) -> Call:
    """Maya and Luis (all of Jefferson's teachers) gave input: Dana may record it now."""
    from ..programs.builders import give

    made = _decision(cast)
    give(made, cast.maya)
    give(made, cast.luis, anonymous=True)
    return Call(
        cast.dana,
        {"uuid": str(made.uuid)},
        body={"chosen": None, "rationale": "Both asked for it.", "how_input_shaped": "Fully."},
    )


PROGRAM_EXAMPLES: dict[str, Callable[[Cast], Call]] = {
    "list_programs": lambda cast: Call(cast.maya),
    "get_program": lambda cast: Call(cast.lena, {"uuid": str(_program(cast).uuid)}),
    "create_program": lambda cast: Call(
        cast.dana,
        body={
            "name": "Bridges Math",
            "school": str(cast.jefferson.uuid),
            "materials": [{"title": "Sample lesson", "url": "https://example.org/l1"}],
        },
    ),
    "list_decisions": lambda cast: Call(cast.maya),
    "get_decision": lambda cast: Call(cast.maya, {"uuid": str(_decision(cast).uuid)}),
    "create_decision": lambda cast: Call(
        cast.priya,
        body={
            "question": "A reading program for the district?",
            "deadline": "2099-05-01T16:00:00-07:00",
            "candidates": [str(_program(cast).uuid)],
        },
    ),
    "give_decision_input": lambda cast: Call(
        cast.maya,
        {"uuid": str(_decision(cast).uuid)},
        body={"anonymous": True, "preference": "for", "understood_identifiable": True},
    ),
    "record_decision": _decided_after_everyone,
    # Technical support: Maya's with Sam (tests/programs/builders.py).
    "list_program_support": lambda cast: Call(cast.sam),
    "get_program_support": lambda cast: Call(cast.sam, {"uuid": str(_support(cast).uuid)}),
    "start_program_support": lambda cast: Call(
        cast.maya,
        body={
            "teacher": str(cast.maya.uuid),
            "coach": str(cast.sam.uuid),
            "program": str(_program(cast).uuid),
            "kind": "peer_visit",
        },
    ),
    "choose_program_support_kind": lambda cast: Call(
        cast.maya, {"uuid": str(_support(cast).uuid)}, body={"kind": "video_study"}
    ),
    "add_implementation_log_entry": lambda cast: Call(
        cast.sam,
        {"uuid": str(_support(cast).uuid)},
        body={
            "day": timezone.localdate().isoformat(),
            "components": [1],
            "student_measure": "18 of 24",
            "decision": "Keep it short",
            "decision_evidence": "Exit tickets",
        },
    ),
    "adapt_program_component": lambda cast: Call(
        cast.maya,
        {"uuid": str(_support(cast).uuid)},
        body={"component": 1, "what": "Pairs first", "for_whom": "ELLs", "reason": "Rehearsal"},
    ),
    "support_to_impact_cycle": lambda cast: Call(cast.maya, {"uuid": str(_support(cast).uuid)}),
    "give_program_feedback": lambda cast: Call(
        cast.maya,
        {"uuid": str(_program(cast).uuid)},
        body={"about": "support", "useful": 5, "clear": 4, "heard": 4, "comment": "Thanks"},
    ),
    "get_program_learning": lambda cast: Call(cast.dana, {"uuid": str(_program(cast).uuid)}),
    "list_program_responses": lambda cast: Call(cast.maya, {"uuid": str(_program(cast).uuid)}),
    "add_program_response": lambda cast: Call(
        cast.dana, {"uuid": str(_program(cast).uuid)}, body={"heard": "Time", "did": "Days"}
    ),
}


# Impact Cycles, the Identify stage (tests/content.py, tests/cycles/identify.py).
def _identify(cast: Cast, *, with_goal: bool = False, with_evidence: bool = False) -> Any:
    from ..content import impact_cycle
    from ..cycles import identify

    made = impact_cycle(cast)
    if with_goal:
        identify.measured_goal(made)
    if with_evidence:
        identify.text_evidence(made, cast.lena, title="Interview notes")
    made.refresh_from_db()
    return made


def _evidence_to_remove(cast: Cast) -> Call:
    from ..cycles import identify

    notes = identify.text_evidence(_identify(cast), cast.lena)
    return Call(cast.lena, {"uuid": str(notes.uuid)})


def _strategy_chosen(cast: Cast) -> Call:
    from ..cycles import identify

    made = _identify(cast, with_goal=True)
    body = {"strategy": str(identify.strategy().uuid), "version": made.version}
    return Call(cast.maya, {"uuid": str(made.uuid)}, body=body)


def _conversation_saved(cast: Cast) -> Call:
    made = _identify(cast)
    body = {
        "lesson_rating": 6,
        "closer_to_ideal": "More voices",
        "students_differently": "Explain their reasoning",
        "version": made.version,
    }
    return Call(cast.maya, {"uuid": str(made.uuid)}, body=body)


IDENTIFY_EXAMPLES: dict[str, Callable[[Cast], Call]] = {
    "list_cycles": lambda cast: Call(cast.lena, query={"page_size": "5"}),
    "create_cycle": lambda cast: Call(
        cast.maya, body={"partner": str(cast.lena.uuid), "title": "Reasoning in math"}
    ),
    "get_cycle": lambda cast: Call(
        cast.lena, {"uuid": str(_identify(cast, with_goal=True, with_evidence=True).uuid)}
    ),
    "save_cycle_conversation": _conversation_saved,
    "set_cycle_goal": lambda cast: Call(
        cast.lena,
        {"uuid": str(_identify(cast).uuid)},
        body={
            "statement": "I will use more wait time",
            "measure": "answers in full sentences",
            "measure_kind": "score",
            "scale_max": "4",
            "baseline": "1.5",
            "target": "3",
            "peers": ["powerful", "reachable"],
            "version": 0,
        },
    ),
    "choose_cycle_strategy": _strategy_chosen,
    "list_cycle_evidence": lambda cast: Call(
        cast.maya, {"uuid": str(_identify(cast, with_evidence=True).uuid)}
    ),
    "add_cycle_evidence": lambda cast: Call(
        cast.maya,
        {"uuid": str(_identify(cast).uuid)},
        body={"kind": "teacher_reflection", "title": "My lesson", "text": "Quiet groups."},
    ),
    "remove_cycle_evidence": _evidence_to_remove,
}


def _jefferson_checkin(cast: Cast) -> Any:
    """The first meeting of Jefferson's weekly check-in (tests/checkins/builders.py)."""
    from ..checkins.builders import weekly

    return weekly(cast).checkins.order_by("starts_at")[0]


def _checkin_item(cast: Cast) -> Any:
    from tandem.checkins.services import add_action_item

    return add_action_item(
        acting_user=cast.lena, checkin=_jefferson_checkin(cast), text="Share the template"
    )


# Coaches' check-ins (tandem/checkins).
CHECKIN_EXAMPLES: dict[str, Callable[[Cast], Call]] = {
    "list_checkin_series": lambda cast: Call(cast.nia),
    "create_checkin_series": lambda cast: Call(
        cast.dana,
        body={
            "school": str(cast.jefferson.uuid),
            "title": "Coaches' check-in",
            "first_date": "2025-10-21",
            "start_time": "09:00",
            "duration_minutes": 45,
            "frequency": "biweekly",
            "until": "2025-12-31",
            "time_zone": "America/New_York",
            "place": "Library",
            "leaders_invited": True,
        },
    ),
    "get_checkin": lambda cast: Call(
        cast.omar, {"checkin_uuid": str(_jefferson_checkin(cast).uuid)}
    ),
    "add_checkin_action_item": lambda cast: Call(
        cast.lena,
        {"checkin_uuid": str(_jefferson_checkin(cast).uuid)},
        body={"text": "Share the template", "owner": str(cast.sam.uuid), "due_on": "2025-10-27"},
    ),
    "set_checkin_action_item_done": lambda cast: Call(
        cast.sam, {"item_uuid": str(_checkin_item(cast).uuid)}, body={"done": True}
    ),
}

EXAMPLES: dict[str, Callable[[Cast], Call]] = {
    "get_me": lambda cast: Call(cast.luis),
    "list_schools": lambda cast: Call(cast.dana),
    "list_assignments": lambda cast: Call(cast.priya, query={"scope": "managed", "page": "1"}),
    "invite_teacher": lambda cast: Call(
        cast.nia,
        body={"teacher": str(f.teacher(cast.jefferson).uuid), "specialty": "instructional"},
    ),
    "propose_assignment": _proposal,
    "respond_to_assignment": _invitation_for_ben,
    "end_assignment": lambda cast: Call(cast.maya, {"uuid": str(cast.lena_maya.uuid)}),
    "list_tokens": lambda cast: Call(cast.maya),
    "create_token": lambda cast: Call(cast.maya, body={"name": "observation app"}, session=True),
    "revoke_token": _revocation,
    "list_goals": lambda cast: Call(
        cast.lena, query={"teacher": str(goal(cast, author=cast.lena).teacher.uuid)}
    ),
    "create_goal": lambda cast: Call(
        cast.lena,
        body={
            "teacher": str(cast.maya.uuid),
            "statement": "Every student explains a strategy",
            "baseline": "35",
            "target": "80.5",
        },
    ),
    "get_goal": _shared_goal,
    "share_goal": lambda cast: _item_share("goals", cast),
    "unshare_goal": lambda cast: _item_share("goals", cast),
    "hold_back_goal": lambda cast: _hold("goals", cast, held_back=False),
    "release_goal": lambda cast: _hold("goals", cast, held_back=True),
    "list_notes": lambda cast: Call(cast.omar, query={"page_size": "5"}),
    "create_note": lambda cast: Call(
        cast.omar,
        body={"teacher": str(cast.maya.uuid), "title": "Debrief", "body": "Wait time helped."},
    ),
    "get_note": lambda cast: Call(cast.omar, {"uuid": str(note(cast, author=cast.omar).uuid)}),
    "share_note": lambda cast: _item_share("notes", cast),
    "unshare_note": lambda cast: _item_share("notes", cast),
    "hold_back_note": lambda cast: _hold("notes", cast, held_back=False),
    "release_note": lambda cast: _hold("notes", cast, held_back=True),
    "get_sharing": lambda cast: Call(cast.maya),
    "share_category": _category_share,
    "unshare_category": _category_share,
    "narrow_agreement": lambda cast: Call(cast.maya, {"category": "notes"}),
    "widen_agreement": lambda cast: Call(cast.maya, {"category": "notes"}),
    "get_school_agreement": lambda cast: Call(cast.ruth, {"school_uuid": str(cast.jefferson.uuid)}),
    "add_to_school_agreement": _agreement,
    "remove_from_school_agreement": _agreement,
    "list_access_events": _looked_at,
    "list_sharing_changes": _changed,
    "list_videos": lambda cast: Call(cast.lena, query={"teacher": str(cast.maya.uuid)}),
    "get_video": lambda cast: Call(cast.lena, {"uuid": str(_video(cast).uuid)}),
    "list_video_comments": lambda cast: Call(
        cast.maya, {"uuid": str(_video(cast).uuid)}, query={"kind": "question"}
    ),
    "add_video_comment": lambda cast: Call(
        cast.lena,
        {"uuid": str(_video(cast).uuid)},
        body={"at_seconds": 2, "kind": "strength", "body": "Every group is talking."},
    ),
    "list_observation_sessions": lambda cast: Call(cast.lena, query={"tool": "talk_time"}),
    "get_observation_session": lambda cast: Call(cast.maya, {"uuid": str(_observation(cast).uuid)}),
    "get_observation_session_events_csv": lambda cast: Call(
        cast.lena, {"uuid": str(_observation(cast).uuid)}
    ),
    "sync_observation_session": _observation_synced,
    "link_observation_session_goal": lambda cast: Call(
        cast.lena,
        {"uuid": str(_observation(cast).uuid)},
        body={"goal": str(goal(cast, author=cast.lena).uuid)},
    ),
    "list_strategies": lambda cast: Call(cast.maya, query={"q": "wait", "tag": "questioning"}),
    "get_strategy": lambda cast: Call(cast.dana, {"uuid": str(_lenas_strategy(cast).uuid)}),
    "create_strategy": lambda cast: Call(
        cast.priya,
        body={
            "name": "Stop and jot",
            "summary": "Students write one line about what they just learned.",
            "description": "A short writing break in the lesson.",
            "checklist": ["Pause the lesson.", "Give one prompt."],
            "tags": ["writing"],
            "resources": [{"title": "Guide", "url": "https://example.org/jot"}],
            "source": "Jefferson's coaches",
        },
    ),
    "list_framework_tags": _framework,
    **TEAMWORK_EXAMPLES,
    **COACHING_EXAMPLES,
    **PROGRESS_EXAMPLES,
    **IDENTIFY_EXAMPLES,
    **PROGRAM_EXAMPLES,
    **THREAD_EXAMPLES,
    **CHECKIN_EXAMPLES,
}


def _video(cast: Cast) -> Any:
    """Maya's ready lesson video, shared with Lena."""
    from ..media.builders import video

    return video(cast, shared_with=cast.lena)


def test_every_operation_has_a_valid_example() -> None:
    missing = set(OPERATION_IDS) - set(EXAMPLES)
    assert not missing, f"add a valid call for {sorted(missing)} to EXAMPLES"
    assert not set(EXAMPLES) - set(OPERATION_IDS), "EXAMPLES names an operation that is gone"


@pytest.mark.parametrize("operation_id", OPERATION_IDS)
def test_every_operation_succeeds_on_its_valid_example(operation_id: str, cast: Cast) -> None:
    if operation_id not in EXAMPLES:
        pytest.fail(f"no valid call for {operation_id}: add one to EXAMPLES")
    call = EXAMPLES[operation_id](cast)
    headers, cookies = _credentials(call.user, session=call.session)
    operation = schema.find_operation_by_id(operation_id)
    if call.body is None:
        case = operation.Case(
            path_parameters=call.path_parameters, query=call.query, headers=headers, cookies=cookies
        )
    else:
        case = operation.Case(
            path_parameters=call.path_parameters,
            query=call.query,
            headers=headers,
            cookies=cookies,
            body=call.body,
            media_type="application/json",
        )
    with _in_test_transaction():
        response = case.call_and_validate()
    assert 200 <= response.status_code < 300, response.text
