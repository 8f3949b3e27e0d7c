"""The stored originals and page images as one tar file beside a database backup, and back.

Why a tar through the storage API rather than copying a folder: the storage
may be a bucket (django-storages), and the backup must hold what the database
points to whichever it is. The tar sits next to the dump
(``archive-….dump.originals.tar``) so one name finds both; restoring writes
each file back under its own name.
"""

from __future__ import annotations

import io
import tarfile
from pathlib import Path, PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

SUFFIX = ".originals.tar"
FOLDERS = ("files", "pages")  # what the importer writes (bulletins/importing/keep.py)


def tar_path(dump: Path) -> Path:
    return dump.with_name(dump.name + SUFFIX)


def _walk(folder: str):
    try:
        folders, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _walk(f"{folder}/{sub}")


def write_tar(path: Path) -> int:
    """Every stored original and page image into ``path`` (written beside it, renamed at the end); the count."""
    partial = path.with_name(path.name + ".partial")
    count = 0
    try:
        with tarfile.open(partial, "w") as tar:
            for folder in FOLDERS:
                for name in _walk(folder):
                    with default_storage.open(name, "rb") as handle:
                        data = handle.read()
                    info = tarfile.TarInfo(name)
                    info.size = len(data)
                    tar.addfile(info, io.BytesIO(data))
                    count += 1
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return count


def read_tar(path: Path) -> int:
    """Write every file of a tar made by :func:`write_tar` back into the storage; the count.

    Only regular files under the importer's folders, with plain relative
    names, are taken: a tampered tar cannot write elsewhere.
    """
    count = 0
    with tarfile.open(path, "r") as tar:
        for member in tar:
            parts = PurePosixPath(member.name).parts
            if not member.isfile() or not parts or parts[0] not in FOLDERS or ".." in parts:
                continue
            data = tar.extractfile(member).read()
            if default_storage.exists(member.name):
                default_storage.delete(member.name)
            default_storage.save(member.name, ContentFile(data))
            count += 1
    return count
