"""The coaches' thread pages as screens for test_pages.py: the thread (with its pinned
norms, a mention, a success story, a shared resource and a script typed as text, and the
15-second poller), the norms, the shared resources, the index. Each opener may run once
per language: it builds what it needs only once."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from tandem.privacy.models import SchoolAgreement
from tandem.threads import services
from tandem.threads.models import Kind, Thread

from ..cast import Cast
from .browser import Site

Opener = Callable[[Site, Cast], None]


def _thread(cast: Cast) -> Thread:
    found = Thread.objects.team().filter(school=cast.jefferson).first()
    if found is not None:
        return found
    made = services.team_thread(school=cast.jefferson, acting_user=cast.lena)
    SchoolAgreement.objects.get_or_create(
        district=cast.maple, school=cast.jefferson, category="goals", updated_by=cast.dana
    )
    services.save_norms(thread=made, acting_user=cast.dana, text="Links, not copies.")
    services.join(thread=made, acting_user=cast.omar)
    services.post_message(
        thread=made, acting_user=cast.lena, text="@Omar Haddad could you demo the tablets?"
    )
    services.post_message(
        thread=made, acting_user=cast.sam, text="<script>alert('x')</script> stays text"
    )
    services.add_resource(
        school=cast.jefferson,
        acting_user=cast.sam,
        title="Number talks",
        url="https://example.org/number-talks",
        description="Ten minutes a day.",
        tags="math, fluency",
    )
    services.post_message(
        thread=made,
        acting_user=cast.grace,
        text="Every pair had something to say!",
        kind=Kind.SUCCESS,
    )
    return made


def _page(name: str) -> Opener:
    def open_page(site: Site, cast: Cast) -> None:
        site.goto(reverse(name, args=[_thread(cast).uuid]))

    return open_page


def _school_page(name: str) -> Opener:
    def open_page(site: Site, cast: Cast) -> None:
        _thread(cast)
        site.goto(reverse(name, args=[cast.jefferson.uuid]))

    return open_page


def _index(site: Site, cast: Cast) -> None:
    _thread(cast)
    site.goto(reverse("thread_index"))


def _empty_post(site: Site, cast: Cast) -> None:
    site.goto(reverse("thread_page", args=[_thread(cast).uuid]))
    site.page.locator("main form button[type=submit]", has_text="Post").or_(
        site.page.locator("main form button[type=submit]", has_text="Publicar")
    ).first.click()
    site.page.wait_for_load_state()


SCREENS: dict[str, tuple[str, Opener]] = {
    "thread-index": ("omar", _index),
    "thread": ("omar", _page("thread_page")),
    "thread-principal": ("dana", _page("thread_page")),
    "thread-empty-post": ("lena", _empty_post),
    "thread-norms": ("nia", _page("thread_norms")),
    "thread-resources": ("sam", _school_page("resource_list")),
}
SHOWN_BY = {
    "thread_index": "thread-index",
    "thread_page": "thread",
    "thread_norms": "thread-norms",
    "resource_list": "thread-resources",
}
NOT_PAGES = {"school_thread", "thread_poll", "thread_join"}
