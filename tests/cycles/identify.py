"""Builders for the Identify tests: strategies, files of each kind, evidence in one line."""

from __future__ import annotations

import io
import uuid
import zipfile
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.accounts.models import User
from tandem.cycles import services
from tandem.cycles.models import Cycle, Evidence, Goal
from tandem.library.models import Strategy

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def strategy(slug: str = "", **fields: Any) -> Strategy:
    return Strategy.objects.create(
        slug=slug or f"test-{uuid.uuid4().hex[:12]}",
        name=fields.pop("name", "Think-pair-share"),
        summary=fields.pop("summary", "Students think alone, talk in pairs, then share."),
        description="Everyone thinks, everyone talks.",
        checklist=fields.pop("checklist", ["Pose the question", "Think time", "Pair", "Share"]),
        tags=fields.pop("tags", ["discussion"]),
        **fields,
    )


def text_evidence(
    cycle: Cycle, author: User, kind: str = "student_interview", **kw: Any
) -> Evidence:
    return services.add_evidence(
        cycle=cycle,
        acting_user=author,
        kind=kind,
        title=kw.pop("title", "What students said"),
        text=kw.pop("text", "They liked explaining to a partner."),
        **kw,
    )


def measured_goal(cycle: Cycle, author: User | None = None) -> Goal:
    return services.create_goal(
        author=author or cycle.teacher,
        teacher=cycle.teacher,
        cycle=cycle,
        statement="80% of students explain their reasoning in writing",
        measure="exit tickets with reasoning",
        baseline=Decimal(35),
        target=Decimal(80),
    )
