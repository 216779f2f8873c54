"""The attachments' stores: the folder, and an S3 bucket through a real S3 API (moto's server)."""

from __future__ import annotations

import io
import socket
import tarfile
from collections.abc import Iterator

import boto3
import pytest
from moto.server import ThreadedMotoServer

from forum import attachment_backup
from forum.attachment_backup import FilesReport
from forum.attachment_storage import FolderStorage, S3Storage, from_settings, new_key

BUCKET = "forum-attachments"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 API served on 127.0.0.1 from a thread, stopped after the module."""
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_storage(s3_endpoint, monkeypatch) -> S3Storage:
    # boto3's own credential chain, as in production: the environment.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="eu-south-1")
    client.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-south-1"}
    )
    yield from_settings(
        {
            "ATTACHMENTS_S3_BUCKET": BUCKET,
            "ATTACHMENTS_S3_ENDPOINT_URL": s3_endpoint,
            "ATTACHMENTS_S3_REGION": "eu-south-1",
            "ATTACHMENTS_S3_PREFIX": "files/",
        }
    )
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", ()):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


@pytest.fixture
def folder_storage(tmp_path) -> FolderStorage:
    return from_settings({"ATTACHMENTS_DIR": str(tmp_path / "files")})


@pytest.fixture(params=["folder", "s3"])
def store(request):
    return request.getfixturevalue(f"{request.param}_storage")


def test_a_stored_file_is_read_back_listed_and_deleted(store):
    key, data = new_key(), b"%PDF-1.4 a synopsis" * 1000
    store.put(key, io.BytesIO(data))
    with store.open(key) as stream:
        assert stream.read() == data
    assert list(store.keys()) == [key]
    store.delete(key)
    assert list(store.keys()) == []
    with pytest.raises(FileNotFoundError):
        store.open(key)
    store.delete(key)  # deleting what is gone is not an error


def test_a_key_that_is_not_a_random_key_is_refused(store):
    for key in ("../../etc/passwd", "ABC", "0" * 31, "0" * 32 + "/x"):
        with pytest.raises(ValueError):
            store.put(key, io.BytesIO(b"x"))


def test_the_s3_store_writes_under_its_prefix(s3_storage, s3_endpoint):
    key = new_key()
    s3_storage.put(key, io.BytesIO(b"GIF89a"))
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="eu-south-1")
    names = [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert names == [f"files/{key}"]


def test_the_folder_store_writes_whole_files_only(folder_storage):
    key = new_key()

    class Failing(io.BytesIO):
        def read(self, size=-1):
            chunk = super().read(size)
            if not chunk:
                raise OSError("the upload was cut")
            return chunk

    with pytest.raises(OSError):
        folder_storage.put(key, Failing(b"x" * 100_000))
    # Neither the file nor its temporary copy is left.
    assert list(folder_storage.root.rglob("*.*")) == []
    assert list(folder_storage.keys()) == []
    assert not folder_storage.path(key).exists()


def test_a_backup_archive_restores_only_files_named_by_keys(folder_storage, tmp_path):
    key = new_key()
    folder_storage.put(key, io.BytesIO(b"%PDF-1.4"))
    backup_path = tmp_path / "forum.backup"
    assert attachment_backup.save(folder_storage, backup_path) == FilesReport(1, 8)
    # A tampered archive: a member climbing out of the folder, and a link.
    with tarfile.open(attachment_backup.archive_path(backup_path), "a") as archive:
        for name in ("../../escaped", "/tmp/absolute"):
            info = tarfile.TarInfo(name)
            info.size = 4
            archive.addfile(info, io.BytesIO(b"evil"))
        link = tarfile.TarInfo(new_key())
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        archive.addfile(link)
    target = FolderStorage(tmp_path / "restored")
    assert attachment_backup.load(target, backup_path) == FilesReport(1, 8)
    assert list(target.keys()) == [key]
    assert not (tmp_path / "escaped").exists()
    assert attachment_backup.load(target, tmp_path / "no-such.backup") is None
