"""The demo's coaches' check-in at Jefferson: weekly, one meeting held, the next ahead.

Lena set it up five days ago at 8:00 (the district's time zone), for ten
weeks. That first meeting has its attendance, notes and an action item not done
yet (Sam shares the exit-ticket template), so it carries over to the next one,
whose agenda Tandem prepares when it is opened.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from tandem.accounts.models import User
from tandem.schools.models import District, School

from . import services


def build(maple: District) -> None:
    """Write the demo's check-in series. Called by `schools.demo.build` after the teamwork."""
    jefferson = School.objects.get(district=maple, name="Jefferson Middle School")
    people = {
        u.email.split("@")[0]: u
        for u in User.objects.filter(district=maple, email__endswith="@maplevalley.example")
    }
    lena, omar, sam, grace = (
        people[n] for n in ("lena.brooks", "omar.haddad", "sam.okafor", "grace.kim")
    )
    series = services.create_series(
        acting_user=lena,
        school=jefferson,
        title="Jefferson coaches' check-in",
        first_date=timezone.localdate() - datetime.timedelta(days=5),
        start_time=datetime.time(8, 0),
        duration_minutes=45,
        frequency="weekly",
        count=10,
        place="Library, room 12",
        invite=False,
    )
    held = series.checkins.order_by("starts_at").first()
    assert held is not None
    services.record_checkin(
        acting_user=lena,
        checkin=held,
        attendees=[lena, omar, sam, grace],
        notes="We agreed to use one word for checking understanding with teachers "
        "(see the alignment report). Omar will show the new polling tool next time.",
    )
    services.add_action_item(
        acting_user=lena,
        checkin=held,
        text="Share the exit-ticket template in the team thread",
        owner=sam,
        due_on=held.starts_at.date() + datetime.timedelta(days=6),
    )
