"""Every schema of the API has a name of its own.

The OpenAPI document keys schemas by class name: two routers each declaring a
`SessionIn` would share one entry, and the document would describe one
operation's body with the other's fields (it happened: the observations sync
was documented with a coaching session's fields).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections import defaultdict

from ninja import Schema

import tandem.api
import tandem.api.routers


def test_no_two_api_schemas_share_a_name() -> None:
    for package in (tandem.api, tandem.api.routers):
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")
    seen: dict[str, set[str]] = defaultdict(set)
    stack = list(Schema.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("tandem."):
            seen[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    shared = {name: sorted(where) for name, where in seen.items() if len(where) > 1}
    assert not shared, f"rename one of each: {shared}"
