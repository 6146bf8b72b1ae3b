"""Anonymous input is anonymous: nothing stored links it to its teacher; she can replace it."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from tandem.notifications.models import Notification
from tandem.privacy.models import AccessEvent
from tandem.programs import services
from tandem.programs.anonymity import input_key
from tandem.programs.models import AdoptionInput

from ..cast import Cast
from .builders import colleagues, decision, give

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def test_anonymous_input_stores_no_link_to_its_teacher(cast: Cast, client_for) -> None:
    colleagues(cast, 4)
    asked = decision(cast)
    maya = client_for(cast.maya)
    maya.get(asked.get_absolute_url())  # she reads the decision first, as she would
    before = _row_counts()
    notifications = list(Notification.objects.values_list("pk", "text", "url"))
    events = AccessEvent.objects.count()
    candidates = list(asked.candidates.order_by("name"))
    response = maya.post(
        reverse("decision_input", args=[asked.uuid]),
        {
            "helps": "Manipulatives for my newcomers",
            "concerns": "Pacing",
            "support": "Co-planning",
            "comment": "",
            "anonymity": "anonymous",
            f"rank_{candidates[0].uuid}": "2",
            f"rank_{candidates[1].uuid}": "1",
        },
    )
    assert response.status_code == 302
    # One new row in the whole database: the input. No access event, no notification,
    # no e-mail, no audit row.
    after = _row_counts()
    assert {k: after[k] - before[k] for k in after if after[k] != before[k]} == {
        "programs.AdoptionInput": 1
    }
    assert AccessEvent.objects.count() == events
    assert list(Notification.objects.values_list("pk", "text", "url")) == notifications
    assert mail.outbox == []
    row = AdoptionInput.objects.get()
    # Every column of the row: none names her, none holds a time of day.
    hers = {cast.maya.pk, str(cast.maya.pk), cast.maya.uuid, str(cast.maya.uuid)}
    hers |= {cast.maya.email, cast.maya.display_name}
    for field in AdoptionInput._meta.concrete_fields:
        value = getattr(row, field.attname)
        if field.name in ("id", "decision"):  # the row's own number, and its decision's
            continue
        assert all(value != mine for mine in hers), field.name
        assert not isinstance(value, datetime.datetime), field.name
    assert row.attributed_to_id is None
    assert type(row.given_on) is datetime.date
    assert row.key == input_key(decision_id=asked.pk, user_id=cast.maya.pk)
    # Without the server's secret the key cannot be recomputed.
    with override_settings(SECRET_KEY="another-secret-" * 4):
        assert input_key(decision_id=asked.pk, user_id=cast.maya.pk) != row.key


def test_a_second_anonymous_input_replaces_the_first(cast: Cast) -> None:
    asked = decision(cast)
    give(asked, cast.maya, anonymous=True, helps="First thought")
    give(asked, cast.maya, anonymous=True, helps="Second thought")
    assert list(AdoptionInput.objects.values_list("helps", flat=True)) == ["Second thought"]


def test_a_second_attributed_input_replaces_the_first_and_may_become_anonymous(
    cast: Cast,
) -> None:
    asked = decision(cast)
    give(asked, cast.luis, helps="First")
    assert AdoptionInput.objects.get().attributed_to == cast.luis
    give(asked, cast.luis, anonymous=True, helps="Second")
    row = AdoptionInput.objects.get()
    assert (row.helps, row.attributed_to_id) == ("Second", None)
    give(asked, cast.maya, helps="Maya's")
    assert AdoptionInput.objects.count() == 2


def test_she_is_told_before_submitting_that_her_input_will_be_replaced(
    cast: Cast, client_for
) -> None:
    asked = decision(cast)
    page = client_for(cast.maya).get(asked.get_absolute_url()).content.decode()
    assert "will replace it" not in page
    give(asked, cast.maya, anonymous=True)
    page = client_for(cast.maya).get(asked.get_absolute_url()).content.decode()
    assert "You gave input on" in page
    assert "will replace it" in page
    assert "Replace my input" in page
    # Luis gave none: he is told nothing of Maya's.
    assert (
        "You gave input on"
        not in client_for(cast.luis).get(asked.get_absolute_url()).content.decode()
    )


def test_replacing_says_so_after_saving(cast: Cast, client_for) -> None:
    program = decision(cast).candidates.first()
    assert program is not None
    one = decision(cast, program)
    maya = client_for(cast.maya)
    data = {"anonymity": "named", "preference": "for", "helps": "Yes"}
    maya.post(reverse("decision_input", args=[one.uuid]), data)
    response = maya.post(reverse("decision_input", args=[one.uuid]), data, follow=True)
    assert "Your input replaced the one you gave before" in response.content.decode()
    assert AdoptionInput.objects.filter(decision=one).count() == 1


def test_a_teacher_sees_whether_she_gave_input_on_the_list(cast: Cast, client_for) -> None:
    asked = decision(cast)
    other = decision(cast, *asked.candidates.all())
    give(asked, cast.maya, anonymous=True)
    page = client_for(cast.maya).get(reverse("decision_list")).content.decode()
    assert page.count("Your input: given") == 1
    assert page.count("Your input: not yet") == 1
    assert services.inputs_given([asked, other], cast.maya) == {asked.pk}
    assert services.inputs_given([asked, other], cast.luis) == set()
