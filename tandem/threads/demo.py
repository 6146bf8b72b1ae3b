"""The demo's coaches' thread at Jefferson: a few messages, a mention, a success story and
two shared resources, under the team's norms. No teacher is named in it: the coaches
talk about their practice, and link to a goal rather than copying it."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tandem.accounts.models import User
from tandem.schools.models import District, School

from . import services
from .models import Kind, Message

NORMS = (
    "We speak about a teacher here only as her sharing allows; details belong on her own "
    "items.\nWe celebrate in the open and ask for help early.\nLinks, not copies."
)


def build(maple: District) -> None:
    """Write the Jefferson coaches' thread. Called from `schools.demo.build`."""
    jefferson = School.objects.get(district=maple, name="Jefferson Middle School")
    people = {
        u.email.split("@")[0]: u
        for u in User.objects.filter(district=maple, email__endswith="@maplevalley.example")
    }
    lena, omar, sam, grace, dana = (
        people[n] for n in ("lena.brooks", "omar.haddad", "sam.okafor", "grace.kim", "dana.reyes")
    )
    thread = services.team_thread(school=jefferson, acting_user=lena)
    services.save_norms(thread=thread, acting_user=dana, text=NORMS)
    for person in (lena, omar, sam, grace, dana):
        services.join(thread=thread, acting_user=person)
    services.post_message(
        thread=thread,
        acting_user=lena,
        text="Welcome to our thread! Check-in agenda items and quick questions go here.",
    )
    services.post_message(
        thread=thread,
        acting_user=lena,
        text="@Omar Haddad could you show us the exit-ticket form on the tablets at the "
        "next check-in?",
    )
    services.post_message(thread=thread, acting_user=omar, text="Happy to. Ten minutes is enough.")
    services.add_resource(
        school=jefferson,
        acting_user=sam,
        title="Number talks: a short guide",
        url="https://example.org/number-talks",
        description="Ten minutes a day of mental math and explaining strategies.",
        tags="math, fluency",
        note="For anyone starting number talks this term.",
    )
    services.add_resource(
        school=jefferson,
        acting_user=omar,
        title="Exit tickets on tablets",
        url="https://example.org/exit-tickets",
        description="A form template and how to read the results in two minutes.",
        tags="technology, formative assessment",
    )
    services.post_message(
        thread=thread,
        acting_user=grace,
        text="A new teacher I mentor tried think-pair-share for the first time and every "
        "pair had something to say. Small steps work!",
        kind=Kind.SUCCESS,
    )
    # Spread the posts over the last two days, oldest first, so the thread reads naturally.
    posts = list(Message.objects.filter(thread=thread).order_by("id"))
    start = timezone.now() - datetime.timedelta(days=2)
    for i, post in enumerate(posts):
        Message.objects.filter(pk=post.pk).update(
            created_at=start + datetime.timedelta(hours=5 * i)
        )
