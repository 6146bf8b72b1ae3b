"""How a teacher's anonymous input on an adoption decision stays anonymous.

What is stored for an anonymous input: the decision, what she wrote, the *day* she
gave it, a random UUID, and `key` = HMAC-SHA256(k, "<decision id>:<user id>") where
k is derived from `settings.SECRET_KEY` with a salt of its own (Django's
`salted_hmac`). Nothing else: no author, no `created_by`, no time of day, no access
event, no notification or e-mail naming her, nothing in the audit of sharing.

Why a keyed hash: she may replace her input (a second input replaces the first), so
the server must find "her" row again — it recomputes the key from the decision and
the person signed in, and looks the row up by it. Without k the key is a random
string: it cannot be recomputed from a user id, nor tested against a guess.

Against whom this holds:
- Leaders, coaches and other teachers, through the pages and the API: they never
  see a key, an author or a time; inputs are shown only once at least
  `MIN_GROUP` (5) exist, in key order (pseudo-random), with the day only.
- Someone with a copy of the database but not the secret key (a backup, a
  reporting replica, a database administrator): nothing in the row, or in any
  other table, names her. Row ids grow with each new input, so the *order* of
  first inputs is in the database; the day is shared by everyone who gave input
  that day. Replacing an input updates the row in place (same id, same key).
- Not against whoever holds both the database and the secret key (the server
  itself): they can compute the key of every teacher in scope and match it. That
  is the price of letting her replace her input; the alternative (no replacement)
  was refused by issue 9. Web-server request logs are outside Tandem: operators
  should not keep the bodies of `/programs/decisions/…/input/` requests.
- Small groups: with fewer than 5 teachers in scope her words may give her away
  whatever we store; she is warned before she submits.

Rotating the secret key: keys made with a key in `SECRET_KEY_FALLBACKS` are still
found (and re-keyed with the current one when she replaces her input).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.crypto import salted_hmac

SALT = "tandem.programs.AdoptionInput.key"


def input_key(*, decision_id: int, user_id: int, secret: str | None = None) -> str:
    """The key of this person's input on this decision, with the current secret key."""
    value = f"{decision_id}:{user_id}"
    return salted_hmac(SALT, value, secret=secret, algorithm="sha256").hexdigest()


def input_keys(*, decision_id: int, user_id: int) -> list[str]:
    """Her key under the current secret key first, then under each fallback key."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [input_key(decision_id=decision_id, user_id=user_id, secret=s) for s in secrets]
