"""Writes of the coaches' threads and shared resources: keyword-only, one transaction each.

Pages and the API call the same functions. Who may write is checked here, with the
same rule as reading (`Thread.objects.visible_to`): a thread she may not read does
not exist for her (Http404).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.notifications.services import notify
from tandem.schools.models import Membership, School

from . import render
from .models import TEAM_ROLES, Kind, Mention, Message, Resource, Thread, ThreadMember

MAX_TEXT = 4000


def team(thread: Thread) -> list[User]:
    """Everyone who may read the thread: the school's coaches and leaders (one query)."""
    ids = Membership.objects.filter(
        school_id=thread.school_id, district_id=thread.district_id, role__in=TEAM_ROLES
    ).values("user_id")
    return list(
        User.objects.filter(pk__in=ids, district_id=thread.district_id, is_active=True).order_by(
            "display_name", "pk"
        )
    )


def _check_reader(thread: Thread, user: User) -> None:
    if not Thread.objects.visible_to(user).filter(pk=thread.pk).exists():
        raise Http404


def _check_school(school: School, user: User) -> None:
    if (
        user.district_id != school.district_id
        or not Membership.objects.filter(user=user, school=school, role__in=TEAM_ROLES).exists()
    ):
        raise Http404


@transaction.atomic
def team_thread(*, school: School, acting_user: User) -> Thread:
    """The school's coaching team thread, made on first use."""
    _check_school(school, acting_user)
    found = Thread.objects.team().filter(school=school).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Thread.objects.create(district_id=school.district_id, school=school)
    except IntegrityError:  # made by someone else at the same moment
        return Thread.objects.team().get(school=school)


@transaction.atomic
def join(*, thread: Thread, acting_user: User) -> ThreadMember:
    """She joins the thread: her unread count starts now."""
    _check_reader(thread, acting_user)
    last = thread.messages.aggregate(last=Max("id"))["last"] or 0
    member, _created = ThreadMember.objects.get_or_create(
        thread=thread, user=acting_user, defaults={"last_read_id": last}
    )
    return member


@transaction.atomic
def leave(*, thread: Thread, acting_user: User) -> None:
    _check_reader(thread, acting_user)
    ThreadMember.objects.filter(thread=thread, user=acting_user).delete()


@transaction.atomic
def mark_read(*, thread: Thread, acting_user: User, up_to: int | None = None) -> int:
    """Everything up to this message (or all) is read; returns her unread count after."""
    _check_reader(thread, acting_user)
    last = thread.messages.aggregate(last=Max("id"))["last"] or 0
    target = last if up_to is None else min(up_to, last)
    member = ThreadMember.objects.filter(thread=thread, user=acting_user).first()
    if member is None:
        return 0
    if target > member.last_read_id:
        member.last_read_id = target
        member.save(update_fields=["last_read_id"])
    return thread.messages.filter(id__gt=member.last_read_id).count()


def unread_count(*, thread: Thread, user: User) -> int:
    member = ThreadMember.objects.filter(thread=thread, user=user).first()
    if member is None:
        return 0
    return thread.messages.filter(id__gt=member.last_read_id).count()


def _clean_text(text: str, *, required: bool = True) -> str:
    text = (text or "").strip().replace("\x00", "")
    if required and not text:
        raise ValidationError(_("Write a message first."))
    if len(text) > MAX_TEXT:
        raise ValidationError(_("A message is at most %(max)d characters.") % {"max": MAX_TEXT})
    return text


@transaction.atomic
def post_message(
    *, thread: Thread, acting_user: User, text: str, kind: str = Kind.MESSAGE
) -> Message:
    """Post a message or a success story; posting joins her; mentions are told once."""
    _check_reader(thread, acting_user)
    if kind not in (Kind.MESSAGE, Kind.SUCCESS):
        raise ValidationError(_("Choose a message or a success story."))
    text = _clean_text(text)
    message = Message.objects.create(
        district_id=thread.district_id, thread=thread, author=acting_user, kind=kind, text=text
    )
    _after_post(thread, message, acting_user)
    return message


def _after_post(thread: Thread, message: Message, author: User) -> None:
    """The author has read her own post; each member mentioned is told, once.

    Only members: a coach or leader who has not joined the thread chose not to hear from it.
    """
    member, _created = ThreadMember.objects.get_or_create(thread=thread, user=author)
    if member.last_read_id < message.pk:
        member.last_read_id = message.pk
        member.save(update_fields=["last_read_id"])
    joined = set(ThreadMember.objects.filter(thread=thread).values_list("user_id", flat=True))
    people = [
        u
        for u in render.mentioned(message.text, render.handles(team(thread)))
        if u.pk != author.pk and u.pk in joined
    ]
    for person in people:
        Mention.objects.create(message=message, user=person)
        _tell_mentioned(thread, person, author)


def place(thread: Thread) -> str:
    """The thread's name in words, with no coaching content: "Jefferson Middle School"."""
    return thread.school.name


def _tell_mentioned(thread: Thread, person: User, author: User) -> None:
    """In the app and by e-mail: who mentioned her and where — never what was said."""
    url = reverse("thread_page", args=[thread.uuid])
    with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
        line = _("%(name)s mentioned you in the %(school)s coaches' thread") % {
            "name": author.display_name,
            "school": place(thread),
        }
        subject = _("[Tandem] %(line)s") % {"line": line}
        body = (
            line
            + "\n\n"
            + _("Open it in Tandem: %(url)s") % {"url": settings.TANDEM_BASE_URL + url}
        )
    notify(user=person, text=line, url=url)
    email = person.email
    transaction.on_commit(
        lambda: send_mail(
            subject=subject,
            message=body + "\n",
            from_email=None,
            recipient_list=[email],
            fail_silently=True,
        )
    )


@transaction.atomic
def save_norms(*, thread: Thread, acting_user: User, text: str) -> Thread:
    """The team's own norms, pinned at the top; any member of the team edits them."""
    _check_reader(thread, acting_user)
    text = (text or "").strip().replace("\x00", "")
    if len(text) > MAX_TEXT:
        raise ValidationError(_("The norms are at most %(max)d characters.") % {"max": MAX_TEXT})
    thread.norms = text
    thread.norms_updated_by = acting_user
    thread.norms_updated_at = timezone.now()
    thread.save(update_fields=["norms", "norms_updated_by", "norms_updated_at"])
    return thread


def normalise_tags(tags: str | list[str]) -> str:
    """Tags as stored: lower-case, without commas inside, each once, comma-wrapped."""
    raw = tags.split(",") if isinstance(tags, str) else tags
    seen: list[str] = []
    for tag in raw:
        clean = " ".join(str(tag).replace(",", " ").split()).lower()[:40]
        if clean and clean not in seen:
            seen.append(clean)
    if len(seen) > 10:
        raise ValidationError(_("At most 10 tags."))
    return "," + ",".join(seen) + "," if seen else ""


@transaction.atomic
def add_resource(
    *,
    school: School,
    acting_user: User,
    title: str,
    url: str,
    description: str = "",
    tags: str | list[str] = "",
    note: str = "",
) -> Resource:
    """A coach adds a resource for her school's team and shares it in the team thread."""
    _check_school(school, acting_user)
    title = (title or "").strip().replace("\x00", "")
    url = (url or "").strip()
    description = (description or "").replace("\x00", "")
    if not title:
        raise ValidationError(_("Give the resource a title."))
    if len(title) > 200 or len(url) > 500 or len(description) > 2000:
        raise ValidationError(_("The title, link or description is too long."))
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(
            _("Enter a web address that starts with http:// or https://.")
        ) from None
    resource = Resource.objects.create(
        district_id=school.district_id,
        school=school,
        title=title,
        url=url,
        description=(description or "").strip(),
        tags=normalise_tags(tags),
        added_by=acting_user,
    )
    share_resource(
        thread=team_thread(school=school, acting_user=acting_user),
        resource=resource,
        acting_user=acting_user,
        text=note,
    )
    return resource


@transaction.atomic
def share_resource(
    *, thread: Thread, resource: Resource, acting_user: User, text: str = ""
) -> Message:
    """Post a resource of the thread's school in the thread, with an optional note."""
    _check_reader(thread, acting_user)
    if resource.school_id != thread.school_id:
        raise Http404
    message = Message.objects.create(
        district_id=thread.district_id,
        thread=thread,
        author=acting_user,
        kind=Kind.RESOURCE,
        resource=resource,
        text=_clean_text(text, required=False),
    )
    _after_post(thread, message, acting_user)
    return message
