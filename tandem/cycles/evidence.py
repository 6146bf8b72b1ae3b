"""Evidence: the one registry of what can be filed in a cycle's picture of reality.

Each kind says how it is added — text, a file upload, or a link to another item
of coaching content — who may add it, which items a person may link (through
that model's own `visible_to`, the cycle's teacher's only) and how a linked item
is shown. A later kind (say, a program's implementation log) plugs in by adding
one `EvidenceType` to `REGISTRY` (and its value to `models.EvidenceKind`).

Uploaded files are checked here by their content (magic bytes), not their name.
"""

from __future__ import annotations

import codecs
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.accounts.models import User
from tandem.privacy.content import CoachingContent

from .models import Cycle, EvidenceKind

TEXT, FILE, LINK = "text", "file", "link"
TEACHER, COACH, EITHER = "teacher", "coach", "either"


@dataclass(frozen=True)
class EvidenceType:
    kind: EvidenceKind
    adds: frozenset[str]  # TEXT, FILE, LINK: what the form asks for
    prompt: Any  # one sentence under the kind, for the person adding it
    written_by: str = EITHER  # TEACHER, COACH (the cycle's coach) or EITHER
    model: str = ""  # "app_label.Model" of the linked item, for LINK kinds
    title: Callable[[Any], str] = str  # how a linked item is named

    def item_model(self) -> type[CoachingContent]:
        model = apps.get_model(self.model)
        assert issubclass(model, CoachingContent)
        return model

    def linkable(self, user: User, cycle: Cycle) -> QuerySet[Any]:
        """The items of this kind the person may link: hers to see, and the teacher's."""
        if LINK not in self.adds:
            raise ValueError(self.kind)
        return self.item_model().objects.visible_to(user).filter(teacher_id=cycle.teacher_id)


def _video_title(video: Any) -> str:
    return str(video.title)


def _observation_title(session: Any) -> str:
    return session.label()


REGISTRY: dict[str, EvidenceType] = {
    t.kind: t
    for t in [
        EvidenceType(
            EvidenceKind.VIDEO,
            frozenset({LINK}),
            gettext_lazy("A lesson video already in Tandem."),
            model="media.Video",
            title=_video_title,
        ),
        EvidenceType(
            EvidenceKind.OBSERVATION,
            frozenset({LINK}),
            gettext_lazy("Data from one of the observation tools."),
            model="observations.ObservationSession",
            title=_observation_title,
        ),
        EvidenceType(
            EvidenceKind.STUDENT_WORK,
            frozenset({FILE, TEXT}),
            gettext_lazy("A file of student work (PDF, picture, text or document), or a note."),
        ),
        EvidenceType(
            EvidenceKind.STUDENT_INTERVIEW,
            frozenset({TEXT, FILE}),
            gettext_lazy("What students said when asked about their learning."),
        ),
        EvidenceType(
            EvidenceKind.TEACHER_REFLECTION,
            frozenset({TEXT}),
            gettext_lazy("The teacher's own picture of the lesson, written before the coach's."),
            written_by=TEACHER,
        ),
        EvidenceType(
            EvidenceKind.COACH_REFLECTION,
            frozenset({TEXT}),
            gettext_lazy("The coach's reflection: the teacher reads it once she has written hers."),
            written_by=COACH,
        ),
    ]
}
assert set(REGISTRY) == set(EvidenceKind.values), "every evidence kind needs a registry entry"


def kind_of(kind: str) -> EvidenceType:
    try:
        return REGISTRY[kind]
    except KeyError:
        raise ValidationError(_("Choose a kind of evidence from the list.")) from None


def may_add(kind: EvidenceType, *, user: User, cycle: Cycle) -> bool:
    """Who writes it: the teacher's reflection is hers; the coach's, the cycle coach's."""
    if kind.written_by == TEACHER:
        return user.pk == cycle.teacher_id
    if kind.written_by == COACH:
        return cycle.engagement is not None and user.pk == cycle.engagement.coach_id
    return True


# --- Files: what is accepted, by content --------------------------------------------------


@dataclass(frozen=True)
class FileType:
    name: str  # the stored name, chosen by the server
    content_type: str
    extensions: tuple[str, ...]


PDF = FileType("evidence.pdf", "application/pdf", (".pdf",))
PNG = FileType("evidence.png", "image/png", (".png",))
JPEG = FileType("evidence.jpg", "image/jpeg", (".jpg", ".jpeg"))
TEXT_FILE = FileType("evidence.txt", "text/plain; charset=utf-8", (".txt",))
DOCX = FileType(
    "evidence.docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
ODT = FileType("evidence.odt", "application/vnd.oasis.opendocument.text", (".odt",))
FILE_TYPES = (PDF, PNG, JPEG, TEXT_FILE, DOCX, ODT)


def _refuse() -> ValidationError:
    return ValidationError(
        _(
            "Tandem cannot take this file: it accepts PDF, PNG, JPEG, plain text, "
            "Word (.docx) and OpenDocument text (.odt) files, and this file's content is "
            "not one of them or does not match its name. Nothing was saved."
        )
    )


def _zip_type(upload: UploadedFile) -> FileType | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if archive.testzip() is not None:
                return None
            if "mimetype" in names and archive.read("mimetype") == ODT.content_type.encode():
                return ODT
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, NotImplementedError):
        return None
    return None


def _is_text(upload: UploadedFile) -> bool:
    """UTF-8 all the way through, with no NUL or other control bytes but the usual ones."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    upload.seek(0)
    try:
        for chunk in upload.chunks():
            text = decoder.decode(chunk)
            if any(ord(c) < 32 and c not in "\t\n\r\f" for c in text):
                return False
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def sniff(upload: UploadedFile) -> FileType:
    """The file's real type, from its content; its name must agree. ValidationError if not."""
    size = upload.size or 0
    if size > settings.TANDEM_EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("This file is too large: files may be at most %(mb)s MB. Nothing was saved.")
            % {"mb": settings.TANDEM_EVIDENCE_MAX_BYTES // (1024 * 1024)}
        )
    if size == 0:
        raise ValidationError(_("This file is empty. Nothing was saved."))
    upload.seek(0)
    head = upload.read(8)
    found: FileType | None = None
    if head.startswith(b"%PDF-"):
        found = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        found = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        found = JPEG
    elif head.startswith(b"PK\x03\x04"):
        found = _zip_type(upload)
    elif _is_text(upload):
        found = TEXT_FILE
    upload.seek(0)
    name = (upload.name or "").lower()
    if found is None or not name.endswith(found.extensions):
        raise _refuse()
    return found


def file_type_of(stored_name: str) -> FileType:
    """The type of a stored file, from the name the server gave it."""
    for file_type in FILE_TYPES:
        if stored_name.endswith("/" + file_type.name):
            return file_type
    return FileType("evidence", "application/octet-stream", ())
