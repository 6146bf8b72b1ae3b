"""Adding and changing strategies, and the district's framework: who may, and bad input."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tandem.library import services
from tandem.library.models import FrameworkTag, Strategy

from ..cast import Cast
from .builders import added

pytestmark = pytest.mark.django_db


def test_a_coach_adds_a_strategy_to_her_own_districts_library_with_clean_tags(cast: Cast) -> None:
    made = added(cast.lena, tags=["  Questioning ", "questioning", "Whole  Class"])
    assert made.district_id == cast.maple.pk
    assert made.author_id == cast.lena.pk
    assert made.tags == ["questioning", "whole class"]
    assert made.slug == "hands-down-questioning"
    assert Strategy.objects.available_to(cast.maya).filter(pk=made.pk).exists()
    assert not Strategy.objects.available_to(cast.hilda).filter(pk=made.pk).exists()


def test_a_district_admin_adds_a_strategy_too(cast: Cast) -> None:
    assert added(cast.priya).district_id == cast.maple.pk


@pytest.mark.parametrize("who", ["maya", "dana", "hilda"])
def test_a_teacher_or_a_principal_cannot_add_a_strategy(cast: Cast, who: str) -> None:
    with pytest.raises(PermissionDenied):
        added(cast.everyone()[who])
    assert not Strategy.objects.filter(district__isnull=False).exists()


def test_a_department_head_who_also_teaches_adds_as_a_coach(cast: Cast) -> None:
    assert added(cast.luis).author_id == cast.luis.pk


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"checklist": []}, "at least one move"),
        ({"checklist": ["  ", ""]}, "at least one move"),
        ({"resources": [{"title": "x", "url": "javascript:alert(1)"}]}, "not a web address"),
        ({"resources": [{"title": "x", "url": "ftp://example.org/a"}]}, "not a web address"),
        ({"summary": "  "}, "summary is required"),
        ({"description": "x" * 5001}, "too long"),
        ({"tags": [f"tag {n}" for n in range(11)]}, "At most 10 tags"),
        ({"checklist": ["move\x00"]}, "cannot be stored"),
    ],
)
def test_bad_input_gives_a_clear_message_and_stores_nothing(
    cast: Cast, fields: dict, message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        added(cast.lena, **fields)
    assert message in " ".join(error.value.messages)
    assert not Strategy.objects.filter(district__isnull=False).exists()


def test_a_name_is_unique_in_a_district_whatever_its_case_but_not_across_districts(
    cast: Cast,
) -> None:
    added(cast.lena, name="Hands-down questioning")
    with pytest.raises(ValidationError, match="already has a strategy named"):
        added(cast.nia, name="HANDS-DOWN questioning")
    assert Strategy.objects.filter(district=cast.maple).count() == 1
    added(cast.henry, name="Hands-down questioning")  # Hillview's own
    assert Strategy.objects.filter(name__iexact="hands-down questioning").count() == 2


def test_its_author_changes_her_strategy_and_no_one_else_does(cast: Cast) -> None:
    made = added(cast.lena)
    services.update_strategy(
        strategy=made,
        acting_user=cast.lena,
        name="Hands-down questions",
        summary="Changed.",
        description="Changed too.",
        checklist=["One move."],
        tags=[],
        resources=[{"title": "", "url": "https://example.org/guide"}],
        source="",
    )
    made.refresh_from_db()
    assert (made.name, made.slug, made.checklist) == (
        "Hands-down questions",
        "hands-down-questioning",
        ["One move."],
    )
    assert made.resources == [
        {"title": "https://example.org/guide", "url": "https://example.org/guide"}
    ]
    for other in (cast.nia, cast.priya, cast.maya):
        with pytest.raises(PermissionDenied):
            services.update_strategy(
                strategy=made,
                acting_user=other,
                name="Mine now",
                summary="x",
                description="x",
                checklist=["x"],
                tags=[],
                resources=[],
            )
    made.refresh_from_db()
    assert made.name == "Hands-down questions"


def test_tandems_own_strategies_are_read_only_for_everyone(cast: Cast) -> None:
    wait = Strategy.objects.get(slug="wait-time", district=None)
    for who in (cast.lena, cast.priya):
        with pytest.raises(PermissionDenied, match="Tandem's own"):
            services.update_strategy(
                strategy=wait,
                acting_user=who,
                name="Mine",
                summary="x",
                description="x",
                checklist=["x"],
                tags=[],
                resources=[],
            )
    assert Strategy.objects.get(pk=wait.pk).name == "Wait time"


# The framework ---------------------------------------------------------------------------

DOMAINS = [("1", "Planning"), ("2", "Environment"), ("3", "Instruction")]


def test_a_district_admin_defines_her_districts_framework_tags(cast: Cast) -> None:
    change = services.set_framework(acting_user=cast.priya, framework="MV Framework", tags=DOMAINS)
    assert change.added == ["1 Planning", "2 Environment", "3 Instruction"]
    tags = FrameworkTag.objects.filter(district=cast.maple)
    assert list(tags.values_list("framework", "code", "label")) == [
        ("MV Framework", code, label) for code, label in DOMAINS
    ]
    assert not FrameworkTag.objects.filter(district=cast.hillview).exists()


@pytest.mark.parametrize("who", ["maya", "lena", "dana"])
def test_only_the_district_admin_sets_the_framework(cast: Cast, who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.set_framework(acting_user=cast.everyone()[who], framework="F", tags=DOMAINS)
    assert not FrameworkTag.objects.exists()


def test_replacing_the_framework_keeps_a_tag_a_goal_uses_and_says_so(cast: Cast) -> None:
    from .. import content

    services.set_framework(acting_user=cast.priya, framework="MV", tags=DOMAINS)
    goal = content.goal(cast)
    used = FrameworkTag.objects.get(district=cast.maple, code="2")
    goal.framework_tags.add(used)
    change = services.set_framework(
        acting_user=cast.priya, framework="MV", tags=[("1", "Planning and preparation")]
    )
    assert change.changed == ["1 Planning and preparation"]
    assert change.removed == ["3 Instruction"]
    assert change.kept_in_use == ["2 Environment"]
    assert set(FrameworkTag.objects.filter(district=cast.maple).values_list("code", flat=True)) == {
        "1",
        "2",
    }
    assert list(goal.framework_tags.all()) == [used]


@pytest.mark.parametrize(
    ("framework", "tags", "message"),
    [
        ("MV", [("1", "A"), ("1", "B")], "there twice"),
        ("", [("1", "A")], "name is required"),
        ("MV", [("1" * 21, "A")], "too long"),
        ("MV", [("1", "")], "label is required"),
    ],
)
def test_a_bad_framework_gives_a_clear_message_and_changes_nothing(
    cast: Cast, framework: str, tags: list, message: str
) -> None:
    services.set_framework(acting_user=cast.priya, framework="Before", tags=[("9", "Old")])
    with pytest.raises(ValidationError) as error:
        services.set_framework(acting_user=cast.priya, framework=framework, tags=tags)
    assert message in " ".join(error.value.messages)
    assert list(FrameworkTag.objects.values_list("framework", "code", "label")) == [
        ("Before", "9", "Old")
    ]
