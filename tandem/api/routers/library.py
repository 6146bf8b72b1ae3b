"""The strategy library and the district's framework tags.

Not coaching content: everyone in a district reads Tandem's strategies and her own
district's (`Strategy.objects.available_to`); another district's strategy answers 404,
as one that never existed. Coaches and district admins add to their district's library
through the pages' service (`library.services.add_strategy`; 403 for anyone else, 400
for a rule it refuses). Names, summaries, descriptions and checklists come in the
person's language where the library has it.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import StringConstraints

from tandem.library import services
from tandem.library.models import FrameworkTag, Strategy
from tandem.library.search import search

from ..errors import responses
from ..schemas import PageIn, PersonOut, StrictInput, acting_user

router = Router(tags=["library"])

_NO_NUL = r"^[^\x00]*$"


def _text(max_length: int, min_length: int = 0) -> Any:
    return StringConstraints(
        strip_whitespace=True, min_length=min_length, max_length=max_length, pattern=_NO_NUL
    )


class StrategyResourceOut(Schema):
    title: str
    url: str


class StrategyOut(Schema):
    """A strategy as listed: in the person's language where the library has it."""

    uuid: UUID
    name: str
    summary: str
    tags: list[str]
    tandem: bool = Field(description="Tandem's own library (read-only), or her district's.")
    author: PersonOut | None

    @staticmethod
    def resolve_name(obj: Strategy) -> str:
        return str(obj.localized("name"))

    @staticmethod
    def resolve_summary(obj: Strategy) -> str:
        return str(obj.localized("summary"))

    @staticmethod
    def resolve_tandem(obj: Strategy) -> bool:
        return obj.district_id is None


class StrategyDetailOut(StrategyOut):
    description: str
    checklist: list[str]
    resources: list[StrategyResourceOut]
    source: str

    @staticmethod
    def resolve_description(obj: Strategy) -> str:
        return str(obj.localized("description"))

    @staticmethod
    def resolve_checklist(obj: Strategy) -> list[str]:
        return list(obj.localized("checklist"))


class StrategyPageOut(Schema):
    items: list[StrategyOut]
    count: int


class StrategyQuery(PageIn):
    """`?q=` words to find in the name, summary or tags (as the person reads them);
    `?tag=` one tag, as stored."""

    q: str = Field("", max_length=200)
    tag: str = Field("", max_length=services.TAG_LENGTH)


def _available(request: HttpRequest) -> Any:
    return Strategy.objects.available_to(acting_user(request))


@router.get(
    "/library/strategies",
    response=responses({200: StrategyPageOut}, 422),
    operation_id="list_strategies",
)
def list_strategies(request: HttpRequest, query: Query[StrategyQuery]) -> dict[str, Any]:
    """Tandem's strategies and her district's, by name in her language."""
    available = _available(request)
    found = search(available, q=query.q, tag=query.tag)
    start = (query.page - 1) * query.page_size
    ids = found.ids[start : start + query.page_size]
    rows = {s.pk: s for s in available.filter(id__in=ids).select_related("author")}
    return {"items": [rows[pk] for pk in ids if pk in rows], "count": len(found.ids)}


@router.get(
    "/library/strategies/{uuid}",
    response=responses({200: StrategyDetailOut}, 404, 422),
    operation_id="get_strategy",
)
def get_strategy(request: HttpRequest, uuid: UUID) -> Strategy:
    """One strategy: its description, its checklist of moves, resources and source."""
    return get_object_or_404(_available(request).select_related("author"), uuid=uuid)


class StrategyResourceIn(StrictInput):
    title: Annotated[str, _text(services.RESOURCE_TITLE_LENGTH)] = ""
    url: Annotated[str, _text(services.URL_LENGTH)]


class NewStrategyIn(StrictInput):
    name: Annotated[str, _text(services.NAME_LENGTH, 1)]
    summary: Annotated[str, _text(services.SUMMARY_LENGTH, 1)]
    description: Annotated[str, _text(services.DESCRIPTION_LENGTH, 1)]
    checklist: list[Annotated[str, _text(services.MOVE_LENGTH)]] = Field(
        max_length=services.MAX_MOVES, description="The moves, in order: at least one."
    )
    tags: list[Annotated[str, _text(services.TAG_LENGTH)]] = Field([], max_length=services.MAX_TAGS)
    resources: list[StrategyResourceIn] = Field([], max_length=services.MAX_RESOURCES)
    source: Annotated[str, _text(services.SOURCE_LENGTH)] = ""


@router.post(
    "/library/strategies",
    response=responses({201: StrategyDetailOut}, 400, 422),
    operation_id="create_strategy",
)
def create_strategy(request: HttpRequest, data: NewStrategyIn) -> Status[Strategy]:
    """A strategy in her district's library, seen by her district only. Coaches and district
    admins (403 for anyone else); 400 for a name the district has, no move, or a resource
    that is not an http(s) address."""
    made = services.add_strategy(
        author=acting_user(request),
        name=data.name,
        summary=data.summary,
        description=data.description,
        checklist=data.checklist,
        tags=data.tags,
        resources=[r.model_dump() for r in data.resources],
        source=data.source,
    )
    return Status(201, made)


class FrameworkTagOut(Schema):
    framework: str
    code: str
    label: str


@router.get(
    "/library/framework-tags",
    response=responses({200: list[FrameworkTagOut]}),
    operation_id="list_framework_tags",
)
def list_framework_tags(request: HttpRequest) -> list[FrameworkTag]:
    """Her district's teaching framework tags, for goals and evidence (empty if it has none)."""
    user = acting_user(request)
    if user.district_id is None:
        return []
    return list(FrameworkTag.objects.filter(district_id=user.district_id))
