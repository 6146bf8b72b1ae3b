"""What the goal and note routers share: every kind of coaching content is read, shared
and held back the same way, through the privacy app's one door and its services.

- Reads look rows up only through `Model.objects.visible_to(user)`: an item the
  person may not see is a 404 with the same body as a UUID that never existed.
- Every read by someone other than the item's teacher writes an access event
  (`services.record_access`, via the API): one per single read, one bulk insert
  per listed page.
- Changes are the privacy services' own: only the teacher shares or holds back
  (403 for anyone else who sees the item), effective on the very next request.
"""

from __future__ import annotations

from typing import Any, TypeVar
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from tandem.privacy import services
from tandem.privacy.content import CoachingContent
from tandem.privacy.models import Via
from tandem.schools.models import Engagement
from tandem.schools.roles import request_roles

from ..schemas import PageIn, acting_user, person

Item = TypeVar("Item", bound=CoachingContent)


class ContentQuery(PageIn):
    """A page of what the person may see; `?teacher=` keeps one teacher's items."""

    teacher: UUID | None = None


def visible(request: HttpRequest, model: type[Item]) -> QuerySet[Item]:
    """The items of this kind the person may see, with what every answer names."""
    found: QuerySet[Item] = model.objects.visible_to(acting_user(request))
    return found.select_related("teacher", "author", "engagement")


def item_for(request: HttpRequest, model: type[Item], uuid: UUID) -> Item:
    """One item the person may see; for anyone else it does not exist (404, never 403)."""
    return get_object_or_404(visible(request, model), uuid=uuid)


def page_of(request: HttpRequest, items: QuerySet[Item], query: ContentQuery) -> dict[str, Any]:
    """One page of the list, its access events written in one insert."""
    if query.teacher is not None:
        items = items.filter(teacher__uuid=query.teacher)
    start = (query.page - 1) * query.page_size
    shown = list(items[start : start + query.page_size])
    services.record_access(viewer=acting_user(request), items=shown, via=Via.API, path=request.path)
    return {"items": shown, "count": items.count()}


def read(request: HttpRequest, model: type[Item], uuid: UUID) -> Item:
    """One item, its access event written, and who can see it (`item.who_can_see`)."""
    item = item_for(request, model, uuid)
    services.record_access(
        viewer=acting_user(request), items=[item], via=Via.API, path=request.path
    )
    return with_seers(item)


def with_seers(item: Item) -> Item:
    """The item, with "who can see this" from the policy's own branches."""
    item.who_can_see = [  # type: ignore[attr-defined]
        {
            "uuid": seer.user.uuid,
            "display_name": seer.user.display_name,
            "role": seer.role,
            "reasons": seer.reasons,
        }
        for seer in services.who_can_see(item)
    ]
    return item


def engagement_for(request: HttpRequest, uuid: UUID | None) -> Engagement | None:
    """Open coaching work the person is part of, as its coach or its teacher (as the
    forms offer it); any other does not exist for her (404)."""
    if uuid is None:
        return None
    user = acting_user(request)
    mine = Engagement.objects.filter(
        Q(coach=user) | Q(teacher=user),
        district_id=request_roles(request).district,
        closed_on__isnull=True,
    )
    return get_object_or_404(mine, uuid=uuid)


def share(request: HttpRequest, model: type[Item], uuid: UUID, coach: UUID) -> None:
    """The teacher shares one item with one of her coaches."""
    services.share_item(
        item=item_for(request, model, uuid),
        coach=person(request, coach),
        acting_user=acting_user(request),
    )


def unshare(request: HttpRequest, model: type[Item], uuid: UUID, coach: UUID) -> None:
    services.unshare_item(
        item=item_for(request, model, uuid),
        coach=person(request, coach),
        acting_user=acting_user(request),
    )


def hold_back(request: HttpRequest, model: type[Item], uuid: UUID, *, held: bool) -> None:
    """The teacher keeps an item she wrote to herself, or releases it."""
    services.hold_back(
        item=item_for(request, model, uuid), acting_user=acting_user(request), held=held
    )
