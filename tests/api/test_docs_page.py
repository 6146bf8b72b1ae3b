from __future__ import annotations

import re

import pytest
from django.test import Client


@pytest.mark.django_db
def test_the_api_docs_page_loads_its_scripts_from_our_own_host(client: Client) -> None:
    page = client.get("/api/v1/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources, "the docs page should load Swagger's files"
    assert all(not s.startswith(("http:", "https:", "//")) for s in sources), sources
