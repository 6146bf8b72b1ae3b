"""Message text to HTML: plain text, always escaped; links and @mentions made clickable.

Why plain text and no markup library: a coach-to-coach message needs no
formatting, and allowing none means there is nothing to sanitise — every
character a person typed is escaped (`<script>` shows as the text
"<script>"), and the only tags in a rendered message are the ones written here:
`<a>` for a web address (http/https only, opened like any link: a link to a
goal or cycle is checked by the privacy policy when followed, 404 for those who
may not see it — nothing is ever embedded) and `<strong>` for a mention. No
dependency (nh3, bleach) is needed for a dozen lines of tokenising.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tandem.accounts.models import User

URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
# Punctuation that ends a sentence rather than a web address.
TRAILING = ".,;:!?)]}"


def handles(users: Iterable[User]) -> dict[str, User]:
    """What may follow "@" for each person: her full name and her e-mail's local part."""
    found: dict[str, User] = {}
    for user in users:
        if user.display_name.strip():
            found[user.display_name.strip().lower()] = user
        local = user.email.split("@", 1)[0].strip().lower()
        if local:
            found.setdefault(local, user)
    return found


def _mention_at(text: str, at: int, names: dict[str, User]) -> tuple[str, User] | None:
    """The longest handle written right after the "@" at this position, if any."""
    rest = text[at + 1 :].lower()
    best: tuple[str, User] | None = None
    for handle, user in names.items():
        if rest.startswith(handle):
            after = rest[len(handle) : len(handle) + 1]
            if after and (after.isalnum() or after in "_-"):
                continue
            if best is None or len(handle) > len(best[0]):
                best = (text[at + 1 : at + 1 + len(handle)], user)
    return best


def mentioned(text: str, names: dict[str, User]) -> list[User]:
    """The people a text mentions, each once, in order."""
    people: dict[int, User] = {}
    for at, char in enumerate(text):
        if char == "@" and (at == 0 or not text[at - 1].isalnum()):
            found = _mention_at(text, at, names)
            if found is not None:
                people.setdefault(found[1].pk, found[1])
    return list(people.values())


def message_html(text: str, names: dict[str, User]) -> SafeString:
    """The text, escaped, with web addresses as links and mentions in bold."""
    out: list[str] = []
    i = 0
    plain_from = 0
    while i < len(text):
        char = text[i]
        piece: str | None = None
        end = i
        if char in "hH":
            match = URL.match(text, i)
            if match and (i == 0 or not text[i - 1].isalnum()):
                url = match.group(0).rstrip(TRAILING)
                end = i + len(url)
                piece = (
                    f'<a href="{escape(url)}" rel="nofollow noopener noreferrer">{escape(url)}</a>'
                )
        elif char == "@" and (i == 0 or not text[i - 1].isalnum()):
            found = _mention_at(text, i, names)
            if found is not None:
                end = i + 1 + len(found[0])
                piece = f'<strong class="mention">@{escape(found[0])}</strong>'
        if piece is None:
            i += 1
            continue
        out.append(escape(text[plain_from:i]))
        out.append(piece)
        i = plain_from = end
    out.append(escape(text[plain_from:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped
