"""What the team thread gives the next check-in's agenda.

Both lists are de-identified about teachers by construction: a success story is
text its author wrote as a success story, knowing it goes on the agenda (the
composer says so), and it is shown with the author's role, not her name; a
shared resource is the team's, with who shared it. No teacher's item is read.
Two queries each, whatever the number of posts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from tandem.schools.models import CoachSpecialty, Membership, Role, School

from .models import Kind, Message


@dataclass(frozen=True)
class SuccessStory:
    text: str
    role: str  # "Instructional coach", "School leader"… never a name
    posted_at: datetime.datetime


@dataclass(frozen=True)
class SharedResource:
    title: str
    url: str
    tags: list[str] = field(default_factory=list)
    shared_by: str = ""
    shared_at: datetime.datetime | None = None


def roles_at(school: School, user_ids: set[int]) -> dict[int, str]:
    """Each person's role at the school in words: her first coaching specialty, else her role."""
    found: dict[int, str] = {}
    for spec in (
        CoachSpecialty.objects.filter(
            membership__school=school, membership__role=Role.COACH, membership__user_id__in=user_ids
        )
        .select_related("membership")
        .order_by("specialty", "id")
    ):
        found.setdefault(spec.membership.user_id, str(spec.get_specialty_display()))
    for membership in Membership.objects.filter(
        school=school, user_id__in=user_ids - set(found), role__in=[Role.COACH, Role.SCHOOL_LEADER]
    ).order_by("-role"):
        found.setdefault(membership.user_id, str(membership.get_role_display()))
    return found


def success_stories(*, school: School, since: datetime.datetime) -> list[SuccessStory]:
    """Success stories posted in the school's threads since then, oldest first."""
    posts = list(
        Message.objects.filter(
            thread__school=school,
            district_id=school.district_id,
            kind=Kind.SUCCESS,
            created_at__gte=since,
        ).order_by("created_at", "id")
    )
    roles = roles_at(school, {p.author_id for p in posts}) if posts else {}
    return [
        SuccessStory(text=p.text, role=roles.get(p.author_id, ""), posted_at=p.created_at)
        for p in posts
    ]


def resources_shared(*, school: School, since: datetime.datetime) -> list[SharedResource]:
    """Resources shared in the school's threads since then, oldest first, each once."""
    posts = (
        Message.objects.filter(
            thread__school=school,
            district_id=school.district_id,
            kind=Kind.RESOURCE,
            created_at__gte=since,
        )
        .select_related("resource", "author")
        .order_by("created_at", "id")
    )
    seen: set[int] = set()
    shared: list[SharedResource] = []
    for post in posts:
        resource = post.resource
        if resource is None or resource.pk in seen:
            continue
        seen.add(resource.pk)
        shared.append(
            SharedResource(
                title=resource.title,
                url=resource.url,
                tags=resource.tag_list(),
                shared_by=post.author.display_name,
                shared_at=post.created_at,
            )
        )
    return shared
