"""A tus 1.0 server for lesson video: core, creation, termination, expiration, checksum.

    POST   /videos/uploads/          creation: Upload-Length (and Upload-Metadata: title)
    HEAD   /videos/uploads/<uuid>    the offset to resume from
    PATCH  /videos/uploads/<uuid>    bytes at Upload-Offset (application/offset+octet-stream)
    DELETE /videos/uploads/<uuid>    termination
    OPTIONS either                   what this server supports

Only the teacher uploads her own videos: a signed-in session (unsafe methods
need the X-CSRFToken header, as everywhere) or a personal access token
(`Authorization: Bearer tdm_…`). Someone else's upload does not exist (404).

The body of a PATCH is read from the request stream in 1 MB pieces and
appended to the staging file: memory stays flat whatever the size. One request
writes at a time: it holds a lease on the upload row (taken and renewed with
single-row UPDATEs, so no transaction stays open across a chunk — SQLite would
lock every other writer); another request meanwhile gets 423 Locked. The
offset is saved as the bytes land (every few MB), so a connection lost
mid-chunk keeps what arrived and the client resumes from there. With an
Upload-Checksum header (sha1, sha256 or md5) the chunk is all-or-nothing: a
mismatch (460) or a broken connection drops it.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import secrets
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja.utils import check_csrf

from tandem.accounts.models import User
from tandem.api.auth import token_auth

from . import ffmpeg, services
from .models import Upload, UploadStatus

VERSION = "1.0.0"
EXTENSIONS = "creation,termination,expiration,checksum"
CHECKSUMS: dict[str, Callable[[], Any]] = {
    "sha1": hashlib.sha1,
    "sha256": hashlib.sha256,
    "md5": hashlib.md5,
}
PIECE = 1024 * 1024  # read from the request this much at a time
LEASE_SECONDS = 30
RENEW_SECONDS = 5  # renew (and save the offset) at least this often while writing
HEAD_WAIT_SECONDS = 3  # a HEAD waits this long for a writer that is just finishing


def _response(status: int, message: str = "", **headers: str) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Tus-Resumable"] = VERSION
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _options() -> HttpResponse:
    response = _response(
        204,
        Tus_Version=VERSION,
        Tus_Extension=EXTENSIONS,
        Tus_Max_Size=str(settings.TANDEM_VIDEO_MAX_BYTES),
        Tus_Checksum_Algorithm=",".join(CHECKSUMS),
    )
    del response["Tus-Resumable"]
    return response


def _authenticate(request: HttpRequest) -> User | HttpResponse:
    """The person behind a token or a session; a response when there is none."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = token_auth.authenticate(request, header[7:].strip())
        if user is None:
            return _response(401, _("This token is not valid."), WWW_Authenticate="Bearer")
        return user
    if not request.user.is_authenticated:
        return _response(401, _("Please sign in first."), WWW_Authenticate="Bearer")
    if request.method not in {"GET", "HEAD", "OPTIONS"} and check_csrf(request):
        return _response(403, _("CSRF check failed: send the X-CSRFToken header."))
    return request.user


def _guard(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Options without credentials; then the person, the protocol version, and errors."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            return _options()
        user = _authenticate(request)
        if isinstance(user, HttpResponse):
            return user
        if request.headers.get("Tus-Resumable") != VERSION:
            return _response(412, _("This server speaks tus 1.0.0."), Tus_Version=VERSION)
        try:
            return view(request, user, *args, **kwargs)
        except Http404:
            return _response(404, _("There is no such upload."))
        except PermissionDenied as error:
            return _response(403, str(error) or _("You may not do this."))

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return csrf_exempt(wrapped)  # CSRF is checked in _authenticate, for sessions only


def _header_int(request: HttpRequest, name: str) -> int | None:
    raw = request.headers.get(name, "")
    return int(raw) if raw.isdigit() else None


def _metadata(request: HttpRequest) -> dict[str, str]:
    found: dict[str, str] = {}
    for pair in request.headers.get("Upload-Metadata", "").split(","):
        key, _sep, value = pair.strip().partition(" ")
        if not key:
            continue
        try:
            found[key] = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            found[key] = ""
    return found


@_guard
def create(request: HttpRequest, user: User) -> HttpResponse:
    if request.method != "POST":
        return _response(405, Allow="POST, OPTIONS")
    if request.headers.get("Upload-Defer-Length"):
        return _response(400, _("Send the file's size (Upload-Length)."))
    length = _header_int(request, "Upload-Length")
    if length is None:
        return _response(400, _("Send the file's size (Upload-Length)."))
    meta = _metadata(request)
    try:
        upload = services.start_upload(teacher=user, length=length, title=meta.get("title", ""))
    except services.TooLarge as error:
        return _response(413, " ".join(error.messages))
    except ValidationError as error:
        return _response(400, " ".join(error.messages))
    assert upload.video is not None
    return _response(
        201,
        Location=request.build_absolute_uri(reverse("tus_upload", args=[upload.uuid])),
        Upload_Expires=http_date(upload.expires_at.timestamp()),
        Tandem_Video=reverse("video_detail", args=[upload.video.uuid]),
    )


def _upload_for(user: User, uuid: Any) -> Upload:
    """Her own upload; anyone else's does not exist."""
    found = Upload.objects.filter(uuid=uuid, teacher_id=user.pk).select_related("video").first()
    if found is None:
        raise Http404
    return found


def _state_headers(upload: Upload) -> dict[str, str]:
    headers = {"Upload_Offset": str(upload.offset), "Upload_Length": str(upload.length)}
    if upload.status == UploadStatus.RECEIVING:
        headers["Upload_Expires"] = http_date(upload.expires_at.timestamp())
    if upload.video is not None:
        headers["Tandem_Video"] = reverse("video_detail", args=[upload.video.uuid])
    return headers


def _gone(upload: Upload) -> HttpResponse | None:
    if upload.status == UploadStatus.REJECTED:
        return _response(410, upload.error)
    if upload.is_expired():
        return _response(410, _("This upload expired; please start it again."))
    return None


@_guard
def resource(request: HttpRequest, user: User, uuid: Any) -> HttpResponse:
    upload = _upload_for(user, uuid)
    if request.method == "HEAD":
        return _head(upload)
    if request.method == "PATCH":
        return _patch(request, upload)
    if request.method == "DELETE":
        services.terminate_upload(upload)
        return _response(204)
    return _response(405, Allow="HEAD, PATCH, DELETE, OPTIONS")


def _lease_free(now: Any) -> Q:
    return Q(lease_until__isnull=True) | Q(lease_until__lt=now)


def _head(upload: Upload) -> HttpResponse:
    if gone := _gone(upload):
        return gone
    # A writer that lost its client a moment ago is still saving what arrived: wait for
    # it, so the offset we answer is the one a resumed PATCH must send.
    deadline = time.monotonic() + HEAD_WAIT_SECONDS
    while upload.lease_until and upload.lease_until > timezone.now():
        if time.monotonic() > deadline:
            return _response(423, _("This upload is busy receiving; try again shortly."))
        time.sleep(0.05)
        upload.refresh_from_db()
    return _response(200, **_state_headers(upload))


def _patch(request: HttpRequest, upload: Upload) -> HttpResponse:
    if request.content_type != "application/offset+octet-stream":
        return _response(415, _("Send the bytes as application/offset+octet-stream."))
    if gone := _gone(upload):
        return gone
    offset = _header_int(request, "Upload-Offset")
    size = _header_int(request, "Content-Length")
    if offset is None or size is None:
        return _response(400, _("Send Upload-Offset and Content-Length."))
    checksum = None
    if raw := request.headers.get("Upload-Checksum"):
        algorithm, _sep, digest = raw.partition(" ")
        if algorithm not in CHECKSUMS:
            return _response(400, _("Unsupported checksum algorithm."))
        try:
            checksum = (CHECKSUMS[algorithm](), base64.b64decode(digest, validate=True))
        except binascii.Error:
            return _response(400, _("The checksum is not base64."))
    if upload.status == UploadStatus.COMPLETE or offset != upload.offset:
        return _response(
            409,
            _("The upload is at byte %(offset)s, not %(sent)s.")
            % {"offset": upload.offset, "sent": offset},
            Upload_Offset=str(upload.offset),
        )
    if offset + size > upload.length:
        return _response(400, _("These bytes go past the end of the file."))

    token = secrets.token_hex(16)
    now = timezone.now()
    mine = Upload.objects.filter(pk=upload.pk, lease_token=token)
    taken = (
        Upload.objects.filter(pk=upload.pk, offset=offset, status=UploadStatus.RECEIVING)
        .filter(_lease_free(now))
        .update(lease_token=token, lease_until=now + datetime.timedelta(seconds=LEASE_SECONDS))
    )
    if not taken:
        upload.refresh_from_db()
        if upload.offset != offset:
            return _response(409, "", Upload_Offset=str(upload.offset))
        return _response(423, _("Another upload of this file is running."))
    try:
        written = _receive(request, upload, offset, size, checksum, mine)
    except _LeaseLost:
        return _response(423, _("Another upload of this file took over."))
    if written is None:  # checksum mismatch: nothing kept
        return _response(460, _("The checksum did not match; the chunk was not kept."))
    upload.refresh_from_db()
    headers = _state_headers(upload)
    if upload.offset == upload.length:
        try:
            services.finish_upload(upload)
        except ffmpeg.ProbeError as error:
            return _response(422, str(error), **headers)
    return _response(204, **headers)


class _LeaseLost(Exception):
    pass


def _receive(
    request: HttpRequest,
    upload: Upload,
    offset: int,
    size: int,
    checksum: tuple[Any, bytes] | None,
    mine: Any,
) -> int | None:
    """Append the body to the staging file, renewing the lease; release it at the end."""
    path = upload.staged_path
    path.parent.mkdir(parents=True, exist_ok=True)
    saved = offset
    received = 0
    renewed = time.monotonic()
    try:
        with path.open("r+b" if path.exists() else "w+b") as out:
            out.seek(offset)
            out.truncate()  # bytes past the saved offset were never acknowledged
            while received < size:
                try:
                    piece = request.read(min(PIECE, size - received))
                except OSError:  # the client went away mid-chunk
                    piece = b""
                if not piece:
                    break
                if time.monotonic() - renewed > RENEW_SECONDS:
                    # Check we still hold the lease before writing what came after a pause.
                    out.flush()
                    saved = offset + received if checksum is None else offset
                    if not _renew(mine, saved):
                        raise _LeaseLost
                    renewed = time.monotonic()
                out.write(piece)
                received += len(piece)
                if checksum is not None:
                    checksum[0].update(piece)
            out.flush()
            if checksum is not None and (received < size or checksum[0].digest() != checksum[1]):
                out.seek(offset)
                out.truncate()
                _release(mine, offset, received)
                return None if received == size else 0
        _release(mine, offset + received, received)
        return received
    except _LeaseLost:
        raise
    except BaseException:
        _release(mine, saved, received)
        raise


def _renew(mine: Any, offset: int) -> bool:
    """Extend our lease and save the offset written so far; False if it is not ours."""
    until = timezone.now() + datetime.timedelta(seconds=LEASE_SECONDS)
    return bool(mine.update(lease_until=until, offset=offset))


def _release(mine: Any, offset: int, received: int) -> None:
    from django.db.models import F

    mine.update(offset=offset, received=F("received") + received, lease_token="", lease_until=None)
