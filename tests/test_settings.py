"""Settings come from the environment; bad values stop Tandem with a clear message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tandem import settings as tandem_settings

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "TANDEM_ENV": "production",
    "TANDEM_SECRET_KEY": "x" * 20 + "-production-secret-for-the-deploy-check-" + "y" * 20,
    "TANDEM_ALLOWED_HOSTS": "tandem.example.org",
}


def _manage(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TANDEM_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={**clean, "TANDEM_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_passes_with_no_warnings_under_production_settings(tmp_path: Path) -> None:
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("TANDEM_DEBUG", "maybe", "TANDEM_DEBUG must be true or false"),
        ("TANDEM_EMAIL_PORT", "twenty-five", "TANDEM_EMAIL_PORT must be a whole number"),
        ("TANDEM_ENV", "staging", "TANDEM_ENV must be 'development' or 'production'"),
        ("TANDEM_TIME_ZONE", "Mars/Olympus", "TANDEM_TIME_ZONE must be an IANA time zone"),
        ("DATABASE_URL", "not-a-url", "DATABASE_URL"),
    ],
)
def test_a_malformed_variable_stops_tandem_with_a_message_naming_it(
    tmp_path: Path, variable: str, value: str, message: str
) -> None:
    result = _manage("check", env={variable: value}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("TANDEM_SECRET_KEY", "Set the environment variable TANDEM_SECRET_KEY"),
        ("TANDEM_ALLOWED_HOSTS", "Set TANDEM_ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_its_required_variables(
    tmp_path: Path, missing: str, message: str
) -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = _manage("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_a_short_secret_key(tmp_path: Path) -> None:
    result = _manage(
        "check", env={**PRODUCTION_ENV, "TANDEM_SECRET_KEY": "short"}, tmp_path=tmp_path
    )
    assert "TANDEM_SECRET_KEY must be at least 50 characters" in result.stderr


def test_development_keeps_a_generated_secret_key_under_var(tmp_path: Path) -> None:
    first = _manage("check", env={}, tmp_path=tmp_path)
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    _manage("check", env={}, tmp_path=tmp_path)
    assert (tmp_path / "secret_key").read_text() == key


def test_env_bool_reads_the_usual_spellings(monkeypatch: pytest.MonkeyPatch) -> None:
    for raw, expected in [("1", True), ("YES", True), ("off", False), ("", False)]:
        monkeypatch.setenv("TANDEM_TEST_FLAG", raw)
        assert tandem_settings.env_bool("TANDEM_TEST_FLAG", default=not expected) is expected


def test_env_int_refuses_a_value_below_its_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANDEM_TEST_NUMBER", "-3")
    with pytest.raises(ImproperlyConfigured, match="TANDEM_TEST_NUMBER must be at least 0"):
        tandem_settings.env_int("TANDEM_TEST_NUMBER", 5)
