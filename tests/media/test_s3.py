"""Lesson video on S3-compatible object storage (django-storages), against moto's server
mode: transcoded files land in the bucket, ranges stream from it, signed URLs live 60
seconds, and deleting a video empties its folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import requests
from django.test import Client
from moto.server import ThreadedMotoServer

from tandem.media import services
from tandem.media.models import Video

from ..cast import Cast
from .test_pages import VTT

pytestmark = pytest.mark.django_db
BUCKET = "tandem-video"


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    yield endpoint
    server.stop()


@pytest.fixture
def bucket(s3_endpoint: str, settings: Any) -> Any:
    credentials = {
        "endpoint_url": s3_endpoint,
        "region_name": "us-east-1",
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
    }
    s3 = boto3.resource("s3", **credentials)
    found = s3.Bucket(BUCKET)
    if not found.creation_date:
        s3.create_bucket(Bucket=BUCKET)
    found.objects.all().delete()
    settings.STORAGES = {
        **settings.STORAGES,
        "video": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "access_key": "testing",
                "secret_key": "testing",
                "default_acl": "private",
                "querystring_expire": 60,
                "signature_version": "s3v4",
                "file_overwrite": True,
            },
        },
    }
    return found


def _keys(bucket: Any) -> list[str]:
    return sorted(o.key for o in bucket.objects.all())


def test_transcoded_files_live_in_the_bucket_stream_in_ranges_and_go_with_the_video(
    cast: Cast,
    bucket: Any,
    ready_video: Callable[..., Video],
    client_for: Callable[..., Client],
    settings: Any,
) -> None:
    video = ready_video(cast.maya)
    services.set_captions(video=video, data=VTT, language="en", acting_user=cast.maya)
    prefix = video.storage_prefix
    assert _keys(bucket) == [
        f"{prefix}/captions.vtt",
        f"{prefix}/lesson.mp4",
        f"{prefix}/poster.jpg",
    ]
    maya = client_for(cast.maya)
    part = maya.get(f"/videos/{video.uuid}/stream/", HTTP_RANGE="bytes=4-11")
    assert part.status_code == 206
    assert b"".join(part.streaming_content) == b"ftypisom"  # type: ignore[attr-defined]

    settings.TANDEM_VIDEO_SERVE = "signed-url"
    redirect = maya.get(f"/videos/{video.uuid}/stream/")
    assert redirect.status_code == 302
    url = redirect["Location"]
    query = parse_qs(urlsplit(url).query)
    assert query["X-Amz-Expires"] == ["60"]
    assert "X-Amz-Signature" in query
    fetched = requests.get(url, headers={"Range": "bytes=4-11"}, timeout=10)
    assert fetched.content == b"ftypisom"
    assert client_for(cast.lena).get(f"/videos/{video.uuid}/stream/").status_code == 404
    unsigned = requests.get(url.split("?")[0], timeout=10)
    assert unsigned.status_code == 403  # the bucket is private: only a signed URL reads it

    services.delete_video(video=video, acting_user=cast.maya)
    assert _keys(bucket) == []


def test_naming_a_bucket_puts_lesson_video_in_object_storage() -> None:
    import os
    import subprocess
    import sys

    script = (
        "import django; django.setup(); from django.conf import settings; "
        "o = settings.STORAGES['video']; print(o['BACKEND'], o['OPTIONS']['bucket_name'], "
        "o['OPTIONS']['querystring_expire'])"
    )
    env = {
        **os.environ,
        "TANDEM_S3_BUCKET": "district-video",
        "DJANGO_SETTINGS_MODULE": "tandem.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["storages.backends.s3.S3Storage", "district-video", "60"]
