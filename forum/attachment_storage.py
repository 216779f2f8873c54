"""Where attachments' bytes live: a folder (the default) or an S3-compatible bucket.

The database holds what a file is (``models/attachments.py``); its bytes are kept
outside it, under a key drawn at random (``new_key``), never the uploader's file
name, so a name can neither reach outside the folder nor say what a confidential
question is about.

- ``FolderStorage``: ``ATTACHMENTS_DIR`` (default ``<instance>/attachments``), a file
  per key in a sub-folder named by the key's first two characters; written to a
  temporary file beside it, flushed to disk and renamed, so a reader or a crash never
  sees half a file under its name.
- ``S3Storage``: ``ATTACHMENTS_S3_BUCKET`` (and ``ATTACHMENTS_S3_ENDPOINT_URL`` for a
  store other than AWS, ``ATTACHMENTS_S3_REGION``, ``ATTACHMENTS_S3_PREFIX``) through
  boto3; credentials come from boto3's own chain (``AWS_ACCESS_KEY_ID`` and
  ``AWS_SECRET_ACCESS_KEY`` in the environment, or the host's role), never from the
  forum's settings. An S3 PUT is atomic: an object is whole or absent.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Protocol

from flask import Flask, current_app

# 32 lowercase hexadecimal characters (128 random bits); anything else is not a key.
_KEY = re.compile(r"[0-9a-f]{32}")
_CHUNK = 64 * 1024


def new_key() -> str:
    return secrets.token_hex(16)


def _checked(key: str) -> str:
    if not _KEY.fullmatch(key):
        raise ValueError(f"not an attachment key: {key!r}")
    return key


class Storage(Protocol):
    """What the attachments service needs of a store."""

    def put(self, key: str, stream: IO[bytes]) -> None:
        """Store the stream's bytes (from its current position) under ``key``."""

    def open(self, key: str) -> IO[bytes]:
        """The stored bytes, to read; raises FileNotFoundError when there are none."""

    def delete(self, key: str) -> None:
        """Remove the bytes under ``key``; nothing happens when there are none."""

    def keys(self) -> Iterator[str]:
        """Every key stored (backups count them)."""

    def describe(self) -> str:
        """Where the files are, for messages to operators."""


class FolderStorage:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def path(self, key: str) -> Path:
        key = _checked(key)
        return self.root / key[:2] / key

    def put(self, key: str, stream: IO[bytes]) -> None:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".upload-", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                while chunk := stream.read(_CHUNK):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def open(self, key: str) -> IO[bytes]:
        return self.path(key).open("rb")

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def keys(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for folder in sorted(self.root.iterdir()):
            if folder.is_dir():
                for file in sorted(folder.iterdir()):
                    if _KEY.fullmatch(file.name):
                        yield file.name

    def describe(self) -> str:
        return f"the folder {self.root}"


class S3Storage:
    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        prefix: str = "",
    ):
        # Imported here: boto3 and botocore take some 24 MB in every worker that loads
        # them, and a forum storing its files in a folder never does.
        import boto3
        from botocore.config import Config as BotoConfig

        self.bucket = bucket
        self.prefix = prefix
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint_url or None,
            region_name=region or None,
            config=BotoConfig(retries={"max_attempts": 3, "mode": "standard"}),
        )

    def _name(self, key: str) -> str:
        return self.prefix + _checked(key)

    def put(self, key: str, stream: IO[bytes]) -> None:
        self.client.upload_fileobj(stream, self.bucket, self._name(key))

    def open(self, key: str) -> IO[bytes]:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._name(key))["Body"]
        except self.client.exceptions.NoSuchKey:
            raise FileNotFoundError(key) from None

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))

    def keys(self) -> Iterator[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix
        )
        for page in pages:
            for item in page.get("Contents", ()):
                key = item["Key"][len(self.prefix) :]
                if _KEY.fullmatch(key):
                    yield key

    def describe(self) -> str:
        return f"the S3 bucket {self.bucket}"


def from_settings(config) -> Storage:
    """The store the settings name: the bucket when ATTACHMENTS_S3_BUCKET is set."""
    if config.get("ATTACHMENTS_S3_BUCKET"):
        return S3Storage(
            config["ATTACHMENTS_S3_BUCKET"],
            endpoint_url=config.get("ATTACHMENTS_S3_ENDPOINT_URL"),
            region=config.get("ATTACHMENTS_S3_REGION"),
            prefix=config.get("ATTACHMENTS_S3_PREFIX", ""),
        )
    return FolderStorage(config["ATTACHMENTS_DIR"])


def init_storage(app: Flask) -> None:
    app.extensions["attachment_storage"] = from_settings(app.config)


def storage() -> Storage:
    """The app's store (made at start-up from its settings)."""
    return current_app.extensions["attachment_storage"]
