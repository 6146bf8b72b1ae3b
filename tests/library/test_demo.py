"""The demo: Maple Valley has a four-domain framework; Hillview has none; the library is there."""

from __future__ import annotations

import pytest

from tandem.library import seeding
from tandem.library.models import FrameworkTag, Strategy
from tandem.schools import demo
from tandem.schools.models import District

pytestmark = pytest.mark.django_db


def test_the_demo_gives_maple_valley_a_framework_of_four_domains_and_hillview_none() -> None:
    demo.build("small")
    maple = District.objects.get(slug="maple-valley")
    domains = FrameworkTag.objects.filter(district=maple)
    assert list(domains.values_list("code", flat=True)) == ["1", "2", "3", "4"]
    assert not FrameworkTag.objects.exclude(district=maple).exists()
    assert Strategy.objects.filter(district=None).count() == len(seeding.read())
