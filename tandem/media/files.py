"""Where a video's files live: Django's storage API (local disk or S3-compatible)."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages


def storage() -> Storage:
    """The storage for lesson video: `STORAGES["video"]` if configured, else the default."""
    return storages["video" if "video" in settings.STORAGES else "default"]


def save(name: str, local: Path) -> int:
    """Store a local file under exactly this name (replacing a leftover), in chunks."""
    store = storage()
    if store.exists(name):
        store.delete(name)
    with local.open("rb") as handle:
        saved = store.save(name, File(handle, name=local.name))
    if saved != name:  # a race with another attempt: keep ours under the name we asked for
        store.delete(saved)
        raise RuntimeError(f"storage saved {name!r} as {saved!r}")
    return local.stat().st_size


def delete_prefix(prefix: str) -> None:
    """Delete every file under a video's folder in storage (and the folder, on disk)."""
    store = storage()
    try:
        dirs, files = store.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        store.delete(f"{prefix}/{name}")
    for sub in dirs:
        delete_prefix(f"{prefix}/{sub}")
    if isinstance(store, FileSystemStorage):  # object storage has no folders to remove
        shutil.rmtree(Path(store.path(prefix)), ignore_errors=True)


def local_path(name: str) -> Path | None:
    """The file's path on this machine when the storage is a local disk."""
    store = storage()
    try:
        return Path(store.path(name))
    except NotImplementedError:
        return None
