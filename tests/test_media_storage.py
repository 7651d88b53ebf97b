"""Uploads in S3-compatible object storage when MEDIA_BUCKET is set (#33), against a
local S3 server (moto's, speaking S3's HTTP API), so several web machines can share
pictures and documents."""

import json
import os
import subprocess
import sys

import boto3
import pytest
from moto.server import ThreadedMotoServer

from tests.servers import ROOT, free_port


@pytest.fixture
def s3(monkeypatch):
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-west-2",
    }.items():
        monkeypatch.setenv(name, value)
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-2")
    client.create_bucket(
        Bucket="council-media",
        CreateBucketConfiguration={"LocationConstraint": "eu-west-2"},
    )
    yield {"endpoint": endpoint, "client": client}
    server.stop()


def test_media_bucket_setting_stores_uploads_in_the_bucket(s3):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "MEDIA_BUCKET": "council-media",
        "MEDIA_ENDPOINT_URL": s3["endpoint"],
        "MEDIA_REGION": "eu-west-2",
    }
    script = (
        "import django, json\n"
        "django.setup()\n"
        "from django.conf import settings\n"
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import default_storage\n"
        "name = default_storage.save('ideas/plan.txt', ContentFile(b'a costing'))\n"
        "again = default_storage.save('ideas/plan.txt', ContentFile(b'another'))\n"
        "print(json.dumps({'backend': settings.STORAGES['default']['BACKEND'],\n"
        "  'serve': settings.NB_SERVE_MEDIA, 'names': [name, again],\n"
        "  'url': default_storage.url(name)}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["backend"] == "storages.backends.s3.S3Storage"
    assert out["serve"] is False  # Django no longer serves /media/
    first, second = out["names"]
    assert first == "ideas/plan.txt" and second != first  # never overwritten
    body = s3["client"].get_object(Bucket="council-media", Key=first)["Body"].read()
    assert body == b"a costing"
    assert out["url"] == f"{s3['endpoint']}/council-media/ideas/plan.txt"
