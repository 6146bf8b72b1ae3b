"""Writes to the strategy library and to a district's teaching framework.

- A coach (or her district's admin) adds strategies to her own district's library,
  and the author alone changes them; Tandem's own strategies (`district` empty) are
  read-only for everyone.
- A district admin defines her district's framework tags; a tag some goal or piece of
  evidence uses is kept, not deleted, and she is told which.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.schools.roles import roles_of

from .models import FrameworkTag, Strategy

NAME_LENGTH = 120
SUMMARY_LENGTH = 300
DESCRIPTION_LENGTH = 5000
SOURCE_LENGTH = 300
MOVE_LENGTH = 300
MAX_MOVES = 20
TAG_LENGTH = 40
MAX_TAGS = 10
URL_LENGTH = 500
RESOURCE_TITLE_LENGTH = 200
MAX_RESOURCES = 10
FRAMEWORK_LENGTH = 120
CODE_LENGTH = 20
LABEL_LENGTH = 200
MAX_FRAMEWORK_TAGS = 100

_WEB_ADDRESS = URLValidator(schemes=["http", "https"])


def can_add(user: User) -> bool:
    """Coaches and district admins add to their district's library; teachers and leaders read."""
    roles = roles_of(user)
    return roles.district_id is not None and (roles.is_coach or roles.district_admin)


def can_change(strategy: Strategy, user: User) -> bool:
    """Only its author, while in its district; Tandem's own strategies are read-only."""
    return (
        strategy.district_id is not None
        and strategy.author_id == user.pk
        and strategy.district_id == user.district_id
    )


def _text(value: str, *, label: str, limit: int, required: bool = True) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        raise ValidationError(
            _("%(field)s contains a character that cannot be stored.") % {"field": label}
        )
    if required and not text:
        raise ValidationError(_("%(field)s is required.") % {"field": label})
    if len(text) > limit:
        raise ValidationError(
            _("%(field)s is too long: at most %(limit)d characters.")
            % {"field": label, "limit": limit}
        )
    return text


def clean_checklist(moves: Iterable[str]) -> list[str]:
    """The moves, trimmed, blank lines dropped: at least one, at most `MAX_MOVES`."""
    cleaned = [_text(m, label=_("A move"), limit=MOVE_LENGTH) for m in moves if (m or "").strip()]
    if not cleaned:
        raise ValidationError(_("Write at least one move of the strategy in its checklist."))
    if len(cleaned) > MAX_MOVES:
        raise ValidationError(
            _("A checklist holds at most %(limit)d moves.") % {"limit": MAX_MOVES}
        )
    return cleaned


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Lowercase, trimmed, inner spaces collapsed, each once, in the order given."""
    cleaned: list[str] = []
    for tag in tags:
        text = " ".join((tag or "").split()).lower()
        if not text:
            continue
        text = _text(text, label=_("A tag"), limit=TAG_LENGTH)
        if text not in cleaned:
            cleaned.append(text)
    if len(cleaned) > MAX_TAGS:
        raise ValidationError(_("At most %(limit)d tags.") % {"limit": MAX_TAGS})
    return cleaned


def clean_resources(resources: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    """Each resource a web address (http or https only) with a title (the address if none)."""
    cleaned: list[dict[str, str]] = []
    for resource in resources:
        url = (resource.get("url") or "").strip()
        if len(url) > URL_LENGTH:
            raise ValidationError(
                _("A resource's address is too long: at most %(limit)d characters.")
                % {"limit": URL_LENGTH}
            )
        try:
            _WEB_ADDRESS(url)
        except ValidationError:
            raise ValidationError(
                _(
                    "“%(url)s” is not a web address: resources are links starting with http:// or https://."
                )
                % {"url": url[:80]}
            ) from None
        title = _text(
            resource.get("title") or url,
            label=_("A resource's title"),
            limit=RESOURCE_TITLE_LENGTH,
        )
        cleaned.append({"title": title, "url": url})
    if len(cleaned) > MAX_RESOURCES:
        raise ValidationError(_("At most %(limit)d resources.") % {"limit": MAX_RESOURCES})
    return cleaned


def _fields(
    *,
    name: str,
    summary: str,
    description: str,
    checklist: Sequence[str],
    tags: Sequence[str],
    resources: Sequence[dict[str, str]],
    source: str,
) -> dict[str, Any]:
    return {
        "name": _text(name, label=_("The name"), limit=NAME_LENGTH),
        "summary": _text(summary, label=_("The one-sentence summary"), limit=SUMMARY_LENGTH),
        "description": _text(description, label=_("The description"), limit=DESCRIPTION_LENGTH),
        "checklist": clean_checklist(checklist),
        "tags": clean_tags(tags),
        "resources": clean_resources(resources),
        "source": _text(source, label=_("The source"), limit=SOURCE_LENGTH, required=False),
    }


def _check_name_free(name: str, *, district_id: int, keep: int | None = None) -> None:
    taken = Strategy.objects.filter(district_id=district_id).annotate(lower=Lower("name"))
    if keep is not None:
        taken = taken.exclude(pk=keep)
    if taken.filter(lower=name.lower()).exists():
        raise ValidationError(
            _("Your district's library already has a strategy named “%(name)s”.") % {"name": name}
        )


def _free_slug(name: str, district_id: int) -> str:
    base = (slugify(name) or "strategy")[:70]
    slug, n = base, 1
    while Strategy.objects.filter(district_id=district_id, slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def add_strategy(
    *,
    author: User,
    name: str,
    summary: str,
    description: str,
    checklist: Sequence[str],
    tags: Sequence[str],
    resources: Sequence[dict[str, str]],
    source: str = "",
) -> Strategy:
    """A strategy in the author's district's library, seen by everyone in her district only."""
    if not can_add(author):
        raise PermissionDenied(_("Coaches and district administrators add strategies."))
    district_id = author.district_id
    assert district_id is not None  # can_add says so
    data = _fields(
        name=name,
        summary=summary,
        description=description,
        checklist=checklist,
        tags=tags,
        resources=resources,
        source=source,
    )
    _check_name_free(data["name"], district_id=district_id)
    return Strategy.objects.create(
        district_id=district_id,
        author=author,
        slug=_free_slug(data["name"], district_id),
        **data,
    )


@transaction.atomic
def update_strategy(
    *,
    strategy: Strategy,
    acting_user: User,
    name: str,
    summary: str,
    description: str,
    checklist: Sequence[str],
    tags: Sequence[str],
    resources: Sequence[dict[str, str]],
    source: str = "",
) -> Strategy:
    """Its author changes her strategy; its slug (and UUID) stay, so links keep working."""
    if strategy.district_id is None:
        raise PermissionDenied(_("Tandem's own strategies cannot be changed."))
    if not can_change(strategy, acting_user):
        raise PermissionDenied(_("Only the person who added this strategy may change it."))
    data = _fields(
        name=name,
        summary=summary,
        description=description,
        checklist=checklist,
        tags=tags,
        resources=resources,
        source=source,
    )
    _check_name_free(data["name"], district_id=strategy.district_id, keep=strategy.pk)
    for key, value in data.items():
        setattr(strategy, key, value)
    strategy.save(update_fields=list(data))
    return strategy


# The district's teaching framework -----------------------------------------------------


@dataclass
class FrameworkChange:
    """What `set_framework` did, for the page's message."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept_in_use: list[str] = field(default_factory=list)


def in_use() -> Q:
    """Tags some goal or piece of evidence is tagged with."""
    return Q(goals__isnull=False) | Q(evidence__isnull=False)


def clean_framework_tags(tags: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    cleaned: list[tuple[str, str]] = []
    codes: set[str] = set()
    for code, label in tags:
        code = _text(code, label=_("A code"), limit=CODE_LENGTH)
        label = _text(label, label=_("A label"), limit=LABEL_LENGTH)
        if code.lower() in codes:
            raise ValidationError(_("The code “%(code)s” is there twice.") % {"code": code})
        codes.add(code.lower())
        cleaned.append((code, label))
    if len(cleaned) > MAX_FRAMEWORK_TAGS:
        raise ValidationError(
            _("A framework holds at most %(limit)d tags.") % {"limit": MAX_FRAMEWORK_TAGS}
        )
    return cleaned


@transaction.atomic
def set_framework(
    *, acting_user: User, framework: str, tags: Sequence[tuple[str, str]]
) -> FrameworkChange:
    """Define or replace the district's framework tags (code, label), in the order given.

    A tag that is no longer listed is deleted unless a goal or evidence uses it: then it
    is kept as it was, and named in `kept_in_use`. An empty list removes the framework.
    """
    roles = roles_of(acting_user)
    if not roles.district_admin:
        raise PermissionDenied(_("Only a district administrator sets the district's framework."))
    district_id = roles.district
    cleaned = clean_framework_tags(tags)
    name = _text(
        framework, label=_("The framework's name"), limit=FRAMEWORK_LENGTH, required=bool(cleaned)
    )
    existing = {
        tag.code.lower(): tag
        for tag in FrameworkTag.objects.select_for_update().filter(district_id=district_id)
    }
    change = FrameworkChange()
    wanted = {code.lower() for code, _label in cleaned}
    used = set(
        FrameworkTag.objects.filter(district_id=district_id)
        .filter(in_use())
        .values_list("pk", flat=True)
    )
    for key, old in existing.items():
        if key in wanted:
            continue
        if old.pk in used:
            change.kept_in_use.append(str(old))
        else:
            change.removed.append(str(old))
            old.delete()
    for code, label in cleaned:
        tag = existing.get(code.lower())
        if tag is None:
            FrameworkTag.objects.create(
                district_id=district_id, framework=name, code=code, label=label
            )
            change.added.append(f"{code} {label}")
        elif (tag.framework, tag.code, tag.label) != (name, code, label):
            tag.framework, tag.code, tag.label = name, code, label
            tag.save(update_fields=["framework", "code", "label"])
            change.changed.append(str(tag))
    return change
