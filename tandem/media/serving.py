"""Serving a video's files after the permission check: HTTP ranges (206) from Django,
or handed to nginx (X-Accel-Redirect), or a redirect to a storage URL signed for
60 seconds. Whichever: the view that calls this has checked, on this very
request, that the person may see the video."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase

from . import files

PIECE = 256 * 1024
R = TypeVar("R", bound=HttpResponseBase)
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _safe_headers(response: R, *, download_name: str) -> R:
    response["X-Content-Type-Options"] = "nosniff"
    # A fixed ASCII name chosen by the server: nothing a person typed reaches the header.
    response["Content-Disposition"] = f'inline; filename="{download_name}"'
    # Revocation takes effect on the next request: nothing kept in shared caches.
    response["Cache-Control"] = "private, no-cache"
    return response


def _pieces(handle: IO[bytes], length: int) -> Iterator[bytes]:
    try:
        left = length
        while left > 0:
            piece = handle.read(min(PIECE, left))
            if not piece:
                break
            left -= len(piece)
            yield piece
    finally:
        handle.close()


def serve(
    request: HttpRequest, name: str, *, content_type: str, download_name: str
) -> HttpResponseBase:
    mode = settings.TANDEM_VIDEO_SERVE
    store = files.storage()
    if mode == "signed-url":
        url = store.url(name, expire=settings.TANDEM_VIDEO_URL_SECONDS)  # type: ignore[call-arg]
        return _safe_headers(HttpResponseRedirect(url), download_name=download_name)
    if mode == "x-accel":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.TANDEM_VIDEO_ACCEL_PREFIX + name
        return _safe_headers(response, download_name=download_name)

    size = store.size(name)
    start, end, status = 0, size - 1, 200
    header = request.headers.get("Range", "")
    found = _RANGE.match(header.strip()) if header else None
    if found and (found.group(1) or found.group(2)):
        first, last = found.groups()
        if first:
            start = int(first)
            end = min(int(last), size - 1) if last else size - 1
        else:  # the last N bytes
            start = max(0, size - int(last))
        if start >= size or start > end:
            refused = HttpResponse(status=416)
            refused["Content-Range"] = f"bytes */{size}"
            return _safe_headers(refused, download_name=download_name)
        status = 206
    # (A multi-range request falls through to the whole file, as RFC 9110 allows.)
    handle = store.open(name, "rb")
    handle.seek(start)
    length = end - start + 1
    stream = StreamingHttpResponse(
        _pieces(handle, length), status=status, content_type=content_type
    )
    stream["Content-Length"] = str(length)
    stream["Accept-Ranges"] = "bytes"
    if status == 206:
        stream["Content-Range"] = f"bytes {start}-{end}/{size}"
    return _safe_headers(stream, download_name=download_name)
