"""The attachments' bytes in a backup: one tar file beside the database's, ``PATH.files.tar``.

``flask --app forum backup PATH`` writes the database to PATH and then every file of
the attachments' store, folder or S3 bucket alike, into ``PATH.files.tar``
(uncompressed: PDFs, images and Office files are compressed already), written beside
it under a temporary name and renamed, so half an archive never carries the name.
``restore PATH`` puts each file of that archive back into the store the settings
name, which may be another one (a folder restored into a bucket, say).

The database is copied first, then the files: a file uploaded in between is in the
archive without its row (never linked, harmless); a text removed in between leaves
a row whose file is missing, which its download answers with a 404 and a log line.
For a large bucket, the store's own versioning or replication may be the better
copy; the archive is still what a restore reads.
"""

from __future__ import annotations

import os
import re
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from forum.attachment_storage import Storage

_KEY = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class FilesReport:
    files: int
    size: int


def archive_path(backup_path: Path) -> Path:
    return backup_path.with_name(backup_path.name + ".files.tar")


def save(store: Storage, backup_path: Path) -> FilesReport:
    """Write every stored file into the archive beside ``backup_path``."""
    target = archive_path(backup_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=target.name + ".", suffix=".partial", dir=target.parent
    )
    os.close(handle)
    count = total = 0
    try:
        with tarfile.open(temporary, "w") as archive:
            for key in store.keys():
                with store.open(key) as stream:
                    data = stream.read()
                info = tarfile.TarInfo(key)
                info.size = len(data)
                info.mode = 0o600
                archive.addfile(info, _Reader(data))
                count, total = count + 1, total + len(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return FilesReport(count, total)


def load(store: Storage, backup_path: Path) -> FilesReport | None:
    """Put the archive's files into ``store``; None when the backup has no archive.

    Only regular files named by a storage key are read: an archive cannot write
    anywhere else, whatever its members' names say.
    """
    source = archive_path(backup_path)
    if not source.is_file():
        return None
    count = total = 0
    with tarfile.open(source, "r") as archive:
        for member in archive:
            if not member.isfile() or not _KEY.fullmatch(member.name):
                continue
            stream = archive.extractfile(member)
            store.put(member.name, stream)
            count, total = count + 1, total + member.size
    return FilesReport(count, total)


class _Reader:
    """The bytes as the file object tarfile reads from."""

    def __init__(self, data: bytes):
        self.data, self.offset = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.offset + size
        chunk = self.data[self.offset : end]
        self.offset += len(chunk)
        return chunk
