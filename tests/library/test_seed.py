"""Tandem's own library: seeded by a migration on every install, in English and Spanish."""

from __future__ import annotations

import pytest
from django.utils import translation

from tandem.library import seeding
from tandem.library import tags as tag_words
from tandem.library.models import Strategy
from tandem.library.services import clean_resources

pytestmark = pytest.mark.django_db

SEED = seeding.read()


def test_the_seed_has_at_least_twenty_strategies_each_with_a_checklist_of_four_to_seven_moves() -> (
    None
):
    assert len(SEED) >= 20
    assert len({entry["slug"] for entry in SEED}) == len(SEED)
    assert len({entry["name"].lower() for entry in SEED}) == len(SEED)
    for entry in SEED:
        assert 4 <= len(entry["checklist"]) <= 7, entry["slug"]
        assert all(move.strip() for move in entry["checklist"]), entry["slug"]
        assert entry["summary"], entry["slug"]
        assert entry["description"], entry["slug"]
        assert entry["source"], entry["slug"]


def test_every_seeded_strategy_is_translated_into_spanish_in_full() -> None:
    for entry in SEED:
        spanish = entry["translations"]["es"]
        assert set(spanish) == {"name", "summary", "description", "checklist"}, entry["slug"]
        assert all(spanish[key] for key in spanish), entry["slug"]
        assert len(spanish["checklist"]) == len(entry["checklist"]), entry["slug"]
        assert spanish["name"] != entry["name"] or entry["slug"] == "jigsaw", entry["slug"]


def test_every_seeded_tag_is_one_tandem_translates_and_every_resource_is_a_web_link() -> None:
    for entry in SEED:
        assert entry["tags"], entry["slug"]
        assert set(entry["tags"]) <= set(tag_words.KNOWN), entry["slug"]
        assert clean_resources(entry["resources"]) == entry["resources"], entry["slug"]


def test_the_migration_put_the_whole_seed_in_tandems_shared_library() -> None:
    shared = Strategy.objects.filter(district=None)
    assert set(shared.values_list("slug", flat=True)) == {entry["slug"] for entry in SEED}
    assert shared.filter(author__isnull=False).count() == 0


def test_loading_the_seed_again_changes_nothing_and_keeps_each_strategys_uuid() -> None:
    before = dict(Strategy.objects.values_list("slug", "uuid"))
    Strategy.objects.filter(slug="wait-time").update(summary="Edited by hand")
    assert seeding.load(Strategy) == len(SEED)
    assert dict(Strategy.objects.values_list("slug", "uuid")) == before
    assert Strategy.objects.get(slug="wait-time").summary == SEED[1]["summary"]


def test_a_strategy_reads_in_spanish_for_a_spanish_reader_and_in_english_otherwise() -> None:
    wait = Strategy.objects.get(slug="wait-time", district=None)
    with translation.override("es"):
        assert wait.localized("name") == "Tiempo de espera"
        assert wait.localized("checklist")[0].startswith("Hacer la pregunta")
        assert str(wait) == "Tiempo de espera"
    with translation.override("en"):
        assert wait.localized("name") == "Wait time"
    assert wait.localized("source", "es") == wait.source  # not translated: as written
