"""The library's pages, as the cast sees them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import User
from tandem.library import services
from tandem.library.models import FrameworkTag, Strategy

from ..cast import Cast
from .builders import added

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]


def test_the_list_shows_tandems_strategies_and_her_districts_not_another_districts(
    cast: Cast, client_for: ClientFor
) -> None:
    ours = added(cast.lena)
    theirs = added(cast.henry, name="Ridgeway rounds")
    page = client_for(cast.maya).get(reverse("strategy_list"), {"q": "hands"})
    text = page.content.decode()
    assert ours.name in text
    assert "Added by Lena Brooks, Maple Valley Unified" in text
    whole = client_for(cast.maya).get(reverse("strategy_list")).content.decode()
    assert theirs.name not in whole
    assert "Cold call with no opt-out" in whole


def test_searching_finds_names_summaries_and_tags_in_the_readers_language(
    cast: Cast, client_for: ClientFor
) -> None:
    maya = client_for(cast.maya)
    found = maya.get(reverse("strategy_list"), {"q": "exit"}).content.decode()
    assert "Exit tickets" in found
    assert "Wait time" not in found
    maya.cookies["django_language"] = "es"
    maya.post(reverse("set_language"), {"language": "es", "next": "/"})
    spanish = maya.get(reverse("strategy_list"), {"q": "PRACTICA recuperacion"}).content.decode()
    assert "Práctica de recuperación" in spanish  # in Spanish, whatever the accents and case
    assert "Tiempo de espera" not in spanish


def test_a_tag_is_found_by_its_translation(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.utils import translation

    from tandem.library import tags
    from tandem.library.search import search

    monkeypatch.setitem(tags.KNOWN, "retention", "retención")
    with translation.override("es"):
        found = search(Strategy.objects.available_to(cast.maya), q="retencion")
    assert set(Strategy.objects.filter(id__in=found.ids).values_list("slug", flat=True)) == {
        "retrieval-practice",
        "do-now",
    }


def test_a_tag_chip_keeps_only_strategies_with_that_tag(cast: Cast, client_for: ClientFor) -> None:
    page = client_for(cast.lena).get(reverse("strategy_list"), {"tag": "math discourse"})
    text = page.content.decode()
    assert "Number talks" in text
    assert "Talk moves" in text
    assert "Exit tickets" not in text
    assert 'aria-current="true">math discourse' in text


def test_the_detail_shows_the_checklist_in_order_and_where_it_comes_from(
    cast: Cast, client_for: ClientFor
) -> None:
    wait = Strategy.objects.get(slug="wait-time", district=None)
    text = client_for(cast.dana).get(wait.get_absolute_url()).content.decode()
    assert '<ol class="checklist">' in text
    assert text.index(wait.checklist[0]) < text.index(wait.checklist[1])
    assert "Rowe (1974) on wait time." in text
    assert "Tandem library" in text
    assert "Edit the strategy" not in text


def test_a_coach_of_hillview_cannot_see_maple_valleys_strategy(
    cast: Cast, client_for: ClientFor
) -> None:
    ours = added(cast.lena)
    assert client_for(cast.henry).get(ours.get_absolute_url()).status_code == 404
    assert client_for(cast.otto).get(reverse("strategy_edit", args=[ours.uuid])).status_code == 404
    assert client_for(cast.ruth).get(ours.get_absolute_url()).status_code == 200


def test_a_coach_adds_a_strategy_through_the_form(cast: Cast, client_for: ClientFor) -> None:
    answer = client_for(cast.nia).post(
        reverse("strategy_create"),
        {
            "name": "Stop and jot",
            "summary": "Students pause to write one line about what they just learned.",
            "description": "A short writing break.",
            "checklist": "Pause the lesson.\n\n  Give one prompt.  \nCollect a few aloud.",
            "tags": "Writing, engagement",
            "resources": "Guide | https://example.org/jot\nhttps://example.org/other",
            "source": "",
        },
    )
    made = Strategy.objects.get(name="Stop and jot")
    assert answer.status_code == 302
    assert answer["Location"] == made.get_absolute_url()
    assert made.checklist == ["Pause the lesson.", "Give one prompt.", "Collect a few aloud."]
    assert made.tags == ["writing", "engagement"]
    assert made.resources == [
        {"title": "Guide", "url": "https://example.org/jot"},
        {"title": "https://example.org/other", "url": "https://example.org/other"},
    ]


def test_a_teacher_has_no_form_to_add_a_strategy(cast: Cast, client_for: ClientFor) -> None:
    answer = client_for(cast.maya).post(reverse("strategy_create"), {"name": "Mine"})
    assert answer.status_code == 404
    assert not Strategy.objects.filter(district__isnull=False).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("checklist", " \n ", "This field is required."),
        ("resources", "Bad | javascript:alert(1)", "is not a web address"),
        ("name", "Hands-down questioning", "already has a strategy named"),
    ],
)
def test_bad_input_on_the_form_says_why_and_stores_nothing(
    cast: Cast, client_for: ClientFor, field: str, value: str, message: str
) -> None:
    added(cast.lena)
    data = {
        "name": "Something new",
        "summary": "One sentence.",
        "description": "A paragraph.",
        "checklist": "One move.",
        "tags": "",
        "resources": "",
        "source": "",
        field: value,
    }
    answer = client_for(cast.omar).post(reverse("strategy_create"), data)
    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert Strategy.objects.filter(district=cast.maple).count() == 1


def test_its_author_edits_her_strategy_and_a_colleague_gets_403(
    cast: Cast, client_for: ClientFor
) -> None:
    ours = added(cast.lena)
    edit = reverse("strategy_edit", args=[ours.uuid])
    form = client_for(cast.lena).get(edit).content.decode()
    assert "Ask, pause, then name a student." in form
    data = {
        "name": ours.name,
        "summary": "Now shorter.",
        "description": ours.description,
        "checklist": "Only this move.",
        "tags": "questioning",
        "resources": "",
        "source": "",
    }
    assert client_for(cast.lena).post(edit, data).status_code == 302
    assert client_for(cast.nia).post(edit, {**data, "summary": "Hers"}).status_code == 403
    ours.refresh_from_db()
    assert (ours.summary, ours.checklist) == ("Now shorter.", ["Only this move."])


def test_tandems_strategies_have_no_edit_page_for_anyone(cast: Cast, client_for: ClientFor) -> None:
    wait = Strategy.objects.get(slug="wait-time", district=None)
    for who in (cast.lena, cast.priya):
        assert client_for(who).get(reverse("strategy_edit", args=[wait.uuid])).status_code == 403


def test_the_district_admin_sets_the_framework_and_sees_which_tags_are_in_use(
    cast: Cast, client_for: ClientFor
) -> None:
    from .. import content

    priya = client_for(cast.priya)
    answer = priya.post(
        reverse("framework_edit"),
        {"framework": "MV Framework", "tags": "1 | Planning\n2 | Environment"},
    )
    assert answer.status_code == 302
    content.goal(cast).framework_tags.add(FrameworkTag.objects.get(code="2"))
    page = priya.post(
        reverse("framework_edit"),
        {"framework": "MV Framework", "tags": "1 | Planning"},
        follow=True,
    )
    text = page.content.decode()
    assert "Kept because goals or evidence use them: 2 Environment." in text
    assert "In use: kept if removed" in text
    assert FrameworkTag.objects.filter(district=cast.maple).count() == 2


def test_a_framework_line_without_a_bar_says_which_line(cast: Cast, client_for: ClientFor) -> None:
    answer = client_for(cast.priya).post(
        reverse("framework_edit"), {"framework": "MV", "tags": "1 | Planning\nEnvironment"}
    )
    assert "Line 2: write a code, a vertical bar and a label" in answer.content.decode()
    assert not FrameworkTag.objects.exists()


@pytest.mark.parametrize("who", ["lena", "dana", "otto"])
def test_only_her_own_district_admin_has_the_framework_page(
    cast: Cast, client_for: ClientFor, who: str
) -> None:
    services.set_framework(acting_user=cast.priya, framework="MV", tags=[("1", "Maple planning")])
    answer = client_for(cast.everyone()[who]).get(reverse("framework_edit"))
    if who == "otto":
        assert answer.status_code == 200
        assert "Maple planning" not in answer.content.decode()
    else:
        assert answer.status_code == 404


def _grow(cast: Cast, n: int) -> None:
    start = Strategy.objects.filter(district=cast.maple).count()
    Strategy.objects.bulk_create(
        Strategy(
            district=cast.maple,
            author=cast.lena,
            slug=f"extra-{i}",
            name=f"Extra {i}",
            summary="More.",
            description="More.",
            checklist=["One."],
            tags=["routines", f"extra {i}"],
        )
        for i in range(start, start + n)
    )


@pytest.mark.parametrize("page", ["1", "2"])
def test_the_list_takes_as_many_queries_with_20_strategies_as_with_40(
    cast: Cast, client_for: ClientFor, django_assert_max_num_queries, page: str
) -> None:
    lena = client_for(cast.lena)
    lena.get(reverse("strategy_list"))  # the session, warmed
    counts = []
    for n in (20, 20):
        _grow(cast, n)
        with django_assert_max_num_queries(8) as captured:
            assert lena.get(reverse("strategy_list"), {"page": page}).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
