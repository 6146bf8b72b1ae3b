"""Every page in Spanish: the catalogue is complete, current, compiled and faithful.

The catalogue tests read files and run the gettext tools; they touch no
database. The extraction runs `make messages`'s own makemessages, with the
Makefile's own ignore list, on a copy of the sources in a temporary directory,
so a test never writes into the repository.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import struct
import subprocess
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.utils import is_ignored_path
from django.test import Client, override_settings

from tandem.accounts.models import User

from .cast import Cast

ROOT = Path(__file__).resolve().parent.parent
LANGUAGE = "es"
CATALOGUE_DIR = ROOT / "tandem" / "locale" / LANGUAGE / "LC_MESSAGES"
DOMAINS = ("django", "djangojs")
FIX = "run `make messages` and translate"


# --- Reading .po and .mo files -----------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    context: str | None
    msgid: str
    plural: str | None
    translations: tuple[str, ...]
    flags: frozenset[str]
    where: str

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.context, self.msgid, self.plural)

    def __str__(self) -> str:
        context = f" (context {self.context!r})" if self.context else ""
        return f"{self.where or '?'}: {self.msgid!r}{context}"


_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")\s*$")


def read_po(path: Path) -> list[Message]:
    """The entries of a .po or .pot file, the header included, obsolete ones left out."""
    messages: list[Message] = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        lines = [line for line in block.strip().splitlines() if line.strip()]
        if not lines or all(line.startswith("#") for line in lines):
            continue
        flags: set[str] = set()
        where: list[str] = []
        fields: dict[str, str] = {}
        current = ""
        for line in lines:
            if line.startswith("#,"):
                flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#:"):
                where.extend(line[2:].split())
            elif line.startswith("#"):
                continue
            elif match := _KEYWORD.match(line):
                current = match.group(1)
                fields[current] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
            else:
                raise AssertionError(f"{path}: cannot read the line {line!r}")
        if "msgid" not in fields:
            continue
        plural = fields.get("msgid_plural")
        if plural is None:
            translations: tuple[str, ...] = (fields.get("msgstr", ""),)
        else:
            forms = sorted(k for k in fields if k.startswith("msgstr["))
            translations = tuple(fields[k] for k in forms) or ("",)
        messages.append(
            Message(
                context=fields.get("msgctxt"),
                msgid=fields["msgid"],
                plural=plural,
                translations=translations,
                flags=frozenset(flags - {""}),
                where=", ".join(where),
            )
        )
    return messages


def read_mo(path: Path) -> dict[bytes, bytes]:
    """A compiled catalogue as its raw original → translation pairs."""
    data = path.read_bytes()
    magic = struct.unpack("<I", data[:4])[0]
    order = "<" if magic == 0x950412DE else ">"
    _, count, originals, translations = struct.unpack(order + "4I", data[4:20])
    pairs = {}
    for index in range(count):
        o_len, o_at = struct.unpack(order + "2I", data[originals + 8 * index :][:8])
        t_len, t_at = struct.unpack(order + "2I", data[translations + 8 * index :][:8])
        pairs[data[o_at : o_at + o_len]] = data[t_at : t_at + t_len]
    return pairs


def catalogues() -> list[Path]:
    return sorted(CATALOGUE_DIR.glob("*.po"))


def entries(path: Path) -> list[Message]:
    """A catalogue's messages without its header."""
    return [m for m in read_po(path) if m.msgid or m.context]


def listing(messages: list[Message] | list[str], limit: int = 40) -> str:
    lines = [f"  {m}" for m in messages[:limit]]
    if len(messages) > limit:
        lines.append(f"  … and {len(messages) - limit} more")
    return "\n".join(lines)


# --- The extraction `make messages` runs, into a temporary directory --------------------------


def require_gettext() -> None:
    """The tests need GNU gettext, as `make messages` does (Tandem itself does not)."""
    missing = [tool for tool in ("xgettext", "msgmerge", "msgfmt") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"Install GNU gettext (apt-get install gettext): {', '.join(missing)} missing.")


def ignore_patterns() -> list[str]:
    """The Makefile's MESSAGES_IGNORE: one list for `make messages` and for this test."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(r"^MESSAGES_IGNORE\s*:?=\s*(.+)$", makefile, re.MULTILINE)
    assert match, "The Makefile has no MESSAGES_IGNORE list for `make messages`."
    return match.group(1).split()


# What makemessages reads: .py, .html and .txt for the django domain, .js for djangojs.
_SOURCE_SUFFIXES = {".py", ".html", ".txt", ".js"}
# makemessages' own default ignores, plus the catalogues themselves.
_ALWAYS_IGNORED = ["CVS", ".*", "*~", "*.pyc", "__pycache__", "locale"]


def copy_sources(destination: Path, patterns: list[str]) -> None:
    """Copy the files makemessages would read, keeping their paths relative to the repository."""
    skip = patterns + _ALWAYS_IGNORED
    for dirpath, dirnames, filenames in os.walk(ROOT):
        relative = Path(dirpath).relative_to(ROOT)
        dirnames[:] = [d for d in dirnames if not is_ignored_path(str(relative / d), skip)]
        for name in filenames:
            source = relative / name
            if source.suffix in _SOURCE_SUFFIXES and not is_ignored_path(str(source), skip):
                (destination / relative).mkdir(parents=True, exist_ok=True)
                shutil.copyfile(ROOT / source, destination / source)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Message]]:
    """Per domain, the messages Tandem's sources hold today (a fresh .pot)."""
    require_gettext()
    workdir = tmp_path_factory.mktemp("messages")
    patterns = ignore_patterns()
    copy_sources(workdir, patterns)
    locale = workdir / "tandem" / "locale"
    locale.mkdir(parents=True, exist_ok=True)
    # LOCALE_PATHS points into the copy, so makemessages writes only there.
    with override_settings(LOCALE_PATHS=[str(locale)]), pytest.MonkeyPatch.context() as mp:
        mp.chdir(workdir)
        for domain in DOMAINS:
            call_command(
                "makemessages",
                domain=domain,
                locale=[LANGUAGE],
                ignore_patterns=list(patterns),
                add_location="file",
                keep_pot=True,
                no_obsolete=True,
                verbosity=0,
            )
    # A domain with no string in any source has no .pot at all.
    pots = {domain: locale / f"{domain}.pot" for domain in DOMAINS}
    return {
        domain: [m for m in read_po(pot) if m.msgid] if pot.exists() else []
        for domain, pot in pots.items()
    }


def committed(domain: str) -> list[Message]:
    path = CATALOGUE_DIR / f"{domain}.po"
    return entries(path) if path.exists() else []


# --- The tests ----------------------------------------------------------------------------------


def test_there_is_a_spanish_catalogue_for_tandem() -> None:
    assert (CATALOGUE_DIR / "django.po").exists(), f"No Spanish catalogue: {FIX} every message."


def test_every_spanish_message_is_translated() -> None:
    untranslated = [
        f"{path.name}: {m}"
        for path in catalogues()
        for m in entries(path)
        if not all(m.translations)
    ]
    assert not untranslated, f"{FIX}:\n{listing(untranslated)}"


def test_no_spanish_message_is_fuzzy() -> None:
    # A fuzzy message is a guess by msgmerge: Django shows the English instead.
    fuzzy = [
        f"{path.name}: {m}" for path in catalogues() for m in read_po(path) if "fuzzy" in m.flags
    ]
    assert not fuzzy, (
        f"Review these translations and remove their `#, fuzzy` flag (or {FIX}):\n{listing(fuzzy)}"
    )


def test_every_translatable_string_of_tandem_is_in_the_spanish_catalogue(
    extracted: dict[str, list[Message]],
) -> None:
    missing = []
    for domain in DOMAINS:
        known = {m.key for m in committed(domain)}
        missing += [f"{domain}: {m}" for m in extracted[domain] if m.key not in known]
    assert not missing, f"New strings are not in the catalogue yet; {FIX}:\n{listing(missing)}"


def test_the_spanish_catalogue_holds_no_string_tandem_no_longer_uses(
    extracted: dict[str, list[Message]],
) -> None:
    stale = []
    for domain in DOMAINS:
        used = {m.key for m in extracted[domain]}
        stale += [f"{domain}: {m}" for m in committed(domain) if m.key not in used]
    assert not stale, f"Run `make messages` to drop strings no source uses:\n{listing(stale)}"


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_compiled_spanish_catalogue_matches_its_po_file(domain: str, tmp_path: Path) -> None:
    po = CATALOGUE_DIR / f"{domain}.po"
    mo = po.with_suffix(".mo")
    if not po.exists():
        assert not mo.exists(), f"{mo.name} has no {po.name}: delete it, or {FIX}."
        return
    assert mo.exists(), f"{mo.name} is missing: run `make messages` and commit it."
    require_gettext()
    fresh = tmp_path / mo.name
    # The same command compilemessages runs.
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", str(fresh), str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"msgfmt rejects {po.name}:\n{result.stderr}"
    expected, actual = read_mo(fresh), read_mo(mo)
    differing = sorted(
        key.decode("utf-8", "replace")
        for key in expected.keys() | actual.keys()
        if expected.get(key) != actual.get(key)
    )
    assert not differing, (
        f"{mo.name} is older than {po.name}: run `make messages` (it compiles) and commit "
        f"both. Messages that differ:\n{listing([repr(k) for k in differing])}"
    )


# %(name)s, %s, %d, %%: the placeholders Python's % fills in ("% of" is not one).
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0+]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa%]")
_BRACE = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")


def placeholders(text: str) -> tuple[frozenset[str], Counter[str]]:
    """Named placeholders as a set (they may repeat), the others and any markup as counts."""
    found = _PERCENT.findall(text) + _BRACE.findall(text)
    named = frozenset(p for p in found if p.startswith(("%(", "{")))
    others = Counter(p for p in found if p not in named) + Counter(_TAG.findall(text))
    return named, others


def test_every_spanish_translation_keeps_the_placeholders_of_its_english() -> None:
    broken = []
    for path in catalogues():
        for m in entries(path):
            for index, translation in enumerate(m.translations):
                if not translation:
                    continue  # reported as untranslated
                english = m.msgid if index == 0 or m.plural is None else m.plural
                if placeholders(translation) != placeholders(english):
                    broken.append(f"{path.name}: {m}\n      → {translation!r}")
    assert not broken, (
        "Keep every %(name)s, %s, {name} and tag of the English in its translation:\n"
        + listing(broken)
    )


# --- The pages, in Spanish ----------------------------------------------------------------------


def _in_spanish(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = LANGUAGE
    return client


def test_the_sign_in_and_home_pages_speak_spanish_with_the_language_cookie(
    cast: Cast, client_for: Callable[[User], Client]
) -> None:
    sign_in = _in_spanish(Client()).get("/accounts/login/").content.decode()
    assert '<html lang="es">' in sign_in
    assert "Iniciar sesión en Tandem" in sign_in
    assert "Usted decide qué se comparte." in sign_in
    assert "Contraseña" in sign_in  # allauth's own form, in allauth's Spanish
    assert "Sign in to Tandem" not in sign_in

    home = _in_spanish(client_for(cast.maya)).get("/").content.decode()
    assert "Mi equipo de acompañamiento" in home
    assert "Cerrar sesión" in home
    assert "My coaching team" not in home
