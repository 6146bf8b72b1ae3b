"""The coaching team's group thread and its shared resources.

A thread is the coaches' talk, not a teacher's content (DESIGN.md, "Team
spaces"): it carries no `CoachingContent`, and nothing in it is ever embedded
from a teacher's items. Who may read it is a rule of this app (`visible_to`):
the coaches and leaders of its school, in its district — teachers never; a
person who may not read a thread gets a 404.

One thread per school coaching team (`subject` empty). A thread may instead be
about one object — a check-in — through the nullable generic relation
`for_checkin` (`subject_type`, `subject_id`); the check-ins app sets it, and the
same school rule decides who reads it.

Messages are plain text. They are stored as typed and always rendered
escaped (`render.message_html`): see that module for why no markup is allowed.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.schools.models import Membership, Role

# Who belongs to a school's coaching team: coach-to-coach, so no teachers.
TEAM_ROLES = [Role.COACH, Role.SCHOOL_LEADER]


def _team_member(user: Any, school_ref: str) -> Q:
    return Q(
        Exists(
            Membership.objects.filter(
                user_id=user.pk,
                district_id=user.district_id,
                school_id=OuterRef(school_ref),
                role__in=TEAM_ROLES,
            )
        )
    )


class ThreadQuerySet(models.QuerySet["Thread"]):
    def visible_to(self, user: Any) -> ThreadQuerySet:
        """Threads of the schools where she coaches or leads, in her district: one query."""
        if not getattr(user, "is_authenticated", False) or user.district_id is None:
            return self.none()
        return self.filter(_team_member(user, "school_id"), district_id=user.district_id)

    def team(self) -> ThreadQuerySet:
        """The schools' team threads (not those about a check-in)."""
        return self.filter(subject_id__isnull=True)


class Thread(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="threads")
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    for_checkin = GenericForeignKey("subject_type", "subject_id")
    norms = models.TextField(_("the team's norms"), max_length=4000, blank=True)
    norms_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    norms_updated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(subject_id__isnull=True),
                name="threads_thread_one_team_thread_per_school",
            ),
            models.UniqueConstraint(
                fields=["subject_type", "subject_id"],
                condition=Q(subject_id__isnull=False),
                name="threads_thread_one_per_subject",
            ),
            models.CheckConstraint(
                condition=Q(subject_type__isnull=True, subject_id__isnull=True)
                | Q(subject_type__isnull=False, subject_id__isnull=False),
                name="threads_thread_subject_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"thread {self.uuid}"


class ThreadMember(models.Model):
    """A coach or leader who joined the thread, and how far she has read."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_memberships"
    )
    # The id of the last message she has seen: everything after it is unread.
    last_read_id = models.PositiveBigIntegerField(default=0)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="threads_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.thread_id}"


class Resource(models.Model):
    """A resource a coach shares with her school's team: a title, a link, tags."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), max_length=500)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    # Normalised, lower-case, comma-wrapped (",fractions,video,") so one tag is one
    # `contains` filter on both databases; `tag_list` gives them back.
    tags = models.CharField(_("tags"), max_length=400, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]


class Kind(models.TextChoices):
    MESSAGE = "message", _("Message")
    SUCCESS = "success", _("Success story")
    RESOURCE = "resource", _("Shared resource")


class Message(models.Model):
    """One post in a thread: plain text, a success story, or a shared resource."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MESSAGE)
    text = models.TextField(_("message"), max_length=4000, blank=True)
    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, null=True, blank=True, related_name="posts"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["thread", "id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="resource", resource__isnull=False)
                | (~Q(kind="resource") & Q(resource__isnull=True)),
                name="threads_message_resource_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"message {self.uuid}"


class Mention(models.Model):
    """A member named in a message; she is told once."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "user"], name="threads_mention_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.message_id}"
