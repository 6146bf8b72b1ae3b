"""Writing check-ins: keyword-only, one transaction each. Only members act on a series."""

from __future__ import annotations

import datetime
import zoneinfo
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.schools.models import Membership, Role, School

from . import mail, recurrence
from .models import ActionItem, CalendarFeed, CheckIn, CheckInSeries


def _check_member(series: CheckInSeries, user: User) -> None:
    if not CheckInSeries.objects.for_member(user).filter(pk=series.pk).exists():
        raise PermissionDenied


def _zone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(_("Unknown time zone: %(zone)s") % {"zone": name}) from error
    return name


@transaction.atomic
def create_series(
    *,
    acting_user: User,
    school: School,
    title: str,
    first_date: datetime.date,
    start_time: datetime.time,
    duration_minutes: int,
    frequency: str,
    until: datetime.date | None = None,
    count: int | None = None,
    time_zone: str = "",
    place: str = "",
    leaders_invited: bool = False,
    invite: bool = True,
) -> CheckInSeries:
    """A new standing check-in and all its occurrences; a coach or leader of the school.

    Each member gets an e-mail invitation with its dates (.ics), unless `invite` is
    False (the demo), after the commit."""
    if not Membership.objects.filter(
        user=acting_user,
        school=school,
        district_id=school.district_id,
        role__in=[Role.COACH, Role.SCHOOL_LEADER],
    ).exists():
        raise PermissionDenied
    if not title.strip():
        raise ValidationError(_("Give the check-in a title."))
    if not 5 <= duration_minutes <= 480:
        raise ValidationError(_("A check-in lasts between 5 and 480 minutes."))
    zone = _zone(time_zone or school.district.time_zone)
    rule = recurrence.build(frequency=frequency, first_date=first_date, until=until, count=count)
    dates = recurrence.expand(rule, first_date=first_date, start_time=start_time, zone=zone)
    series = CheckInSeries.objects.create(
        district_id=school.district_id,
        school=school,
        title=title.strip(),
        time_zone=zone,
        first_date=first_date,
        start_time=start_time,
        duration_minutes=duration_minutes,
        frequency=frequency,
        until=until,
        count=count,
        rrule=rule,
        place=place.strip(),
        leaders_invited=leaders_invited,
        created_by=acting_user,
    )
    CheckIn.objects.bulk_create(
        CheckIn(district_id=series.district_id, series=series, original_start=d, starts_at=d)
        for d in dates
    )
    if invite:
        for member in series.members():
            transaction.on_commit(partial(mail.send_invitation, series, to=member))
    return series


@transaction.atomic
def update_series(
    *,
    acting_user: User,
    series: CheckInSeries,
    title: str,
    duration_minutes: int,
    place: str,
    leaders_invited: bool,
) -> CheckInSeries:
    """Title, length, place, who is invited; the dates change one at a time (skip, move)."""
    _check_member(series, acting_user)
    if not title.strip():
        raise ValidationError(_("Give the check-in a title."))
    if not 5 <= duration_minutes <= 480:
        raise ValidationError(_("A check-in lasts between 5 and 480 minutes."))
    series.title = title.strip()
    series.duration_minutes = duration_minutes
    series.place = place.strip()
    series.leaders_invited = leaders_invited
    series.save(update_fields=["title", "duration_minutes", "place", "leaders_invited"])
    return series


@transaction.atomic
def skip_checkin(*, acting_user: User, checkin: CheckIn, skipped: bool = True) -> CheckIn:
    """Skip one date (an EXDATE in calendars), or bring it back."""
    _check_member(checkin.series, acting_user)
    checkin.skipped = skipped
    checkin.sequence += 1
    checkin.save(update_fields=["skipped", "sequence"])
    return checkin


@transaction.atomic
def move_checkin(
    *, acting_user: User, checkin: CheckIn, date: datetime.date, time: datetime.time
) -> CheckIn:
    """Move one occurrence to another local date and time in the series' zone."""
    _check_member(checkin.series, acting_user)
    new = datetime.datetime.combine(date, time).replace(tzinfo=checkin.series.zone)
    taken = checkin.series.checkins.exclude(pk=checkin.pk).filter(starts_at=new, skipped=False)
    if taken.exists():
        raise ValidationError(_("Another check-in of this series is at that time already."))
    checkin.starts_at = new
    checkin.skipped = False
    checkin.sequence += 1
    checkin.save(update_fields=["starts_at", "skipped", "sequence"])
    return checkin


@transaction.atomic
def record_checkin(
    *, acting_user: User, checkin: CheckIn, attendees: list[User], notes: str
) -> CheckIn:
    """Who came and the notes; only the series' members can be marked present."""
    _check_member(checkin.series, acting_user)
    allowed = set(checkin.series.members().values_list("pk", flat=True))
    if any(person.pk not in allowed for person in attendees):
        raise ValidationError(_("Only the check-in's members can be marked present."))
    checkin.notes = notes.strip()
    checkin.save(update_fields=["notes"])
    checkin.attendees.set(attendees)
    return checkin


@transaction.atomic
def add_action_item(
    *,
    acting_user: User,
    checkin: CheckIn,
    text: str,
    owner: User | None = None,
    due_on: datetime.date | None = None,
) -> ActionItem:
    _check_member(checkin.series, acting_user)
    if not text.strip():
        raise ValidationError(_("Write what is to be done."))
    if owner is not None and not checkin.series.members().filter(pk=owner.pk).exists():
        raise ValidationError(_("An action item's owner is one of the check-in's members."))
    return ActionItem.objects.create(
        district_id=checkin.district_id,
        checkin=checkin,
        text=text.strip(),
        owner=owner,
        due_on=due_on,
    )


@transaction.atomic
def set_action_item_done(*, acting_user: User, item: ActionItem, done: bool) -> ActionItem:
    _check_member(item.checkin.series, acting_user)
    item.done_at = timezone.now() if done else None
    item.save(update_fields=["done_at"])
    return item


@transaction.atomic
def issue_feed(*, user: User) -> str:
    """A new secret calendar address; the one before stops working. Returns the key."""
    revoke_feed(user=user)
    _, raw = CalendarFeed.issue(user=user)
    return raw


@transaction.atomic
def revoke_feed(*, user: User) -> int:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
