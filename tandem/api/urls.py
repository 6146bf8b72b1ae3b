"""Tandem's JSON API, version 1. Thin: every operation calls the apps' services."""

from ninja import NinjaAPI
from ninja.security import django_auth

from .auth import TokenAuth
from .routers import me

api = NinjaAPI(
    title="Tandem API",
    version="1",
    description="Coaching data for integrations and the offline observation tools. "
    "Authenticate with a personal access token (`Authorization: Bearer …`) "
    "or a signed-in browser session.",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)
api.add_router("/", me.router)
