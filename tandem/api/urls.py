"""Tandem's JSON API, version 1. Thin: every operation calls the apps' services."""

from ninja import NinjaAPI

from . import errors
from .auth import session_auth, token_auth
from .routers import (
    assignments,
    coaching,
    goals,
    library,
    me,
    notes,
    observations,
    privacy,
    programs,
    schools,
    teamwork,
    tokens,
    videos,
)

api = NinjaAPI(
    title="Tandem API",
    version="1",
    description="Coaching data for integrations and the offline observation tools. "
    "Authenticate with a personal access token (`Authorization: Bearer …`) "
    "or a signed-in browser session (unsafe methods need the `X-CSRFToken` header). "
    'Every error answers `{"detail": "…"}`; something that is not yours to see '
    "answers 404, exactly as something that does not exist.",
    auth=[token_auth, session_auth],
    urls_namespace="api",
)
errors.install(api)
api.add_router("/", me.router)
api.add_router("/", schools.router)
api.add_router("/", assignments.router)
api.add_router("/", tokens.router)
api.add_router("/", goals.router)
api.add_router("/", notes.router)
api.add_router("/", privacy.router)
api.add_router("/", videos.router)
api.add_router("/", observations.router)
api.add_router("/", coaching.router)
api.add_router("/", teamwork.router)
api.add_router("/", library.router)
api.add_router("/", programs.router)

# Learn and Improve of an Impact Cycle
from .routers import cycle_progress  # noqa: E402

api.add_router("/", cycle_progress.router)

# Impact Cycles and their Identify stage
from .routers import cycles  # noqa: E402

api.add_router("/", cycles.router)

# The coaches' thread and shared resources
from .routers import threads  # noqa: E402

api.add_router("/", threads.router)

# Coaches' check-ins and their action items
from .routers import checkins  # noqa: E402

api.add_router("/", checkins.router)
