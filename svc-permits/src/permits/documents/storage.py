"""Where documents' bytes live: a local folder or an S3-compatible bucket, behind one protocol.

The database row says a document exists; storage holds its bytes. A put is all or nothing,
and ``delete`` undoes one (when the row's transaction fails), so the two never disagree for
long and no reader ever sees half a file.
"""

import asyncio
import base64
import os
import re
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from aiobotocore.config import AioConfig  # type: ignore[import-untyped]
from aiobotocore.session import get_session  # type: ignore[import-untyped]

from permits.documents.intake import StagedFile

CHUNK_BYTES = 64 * 1024

# Slash-separated names of letters, digits, ".", "_" and "-", none starting with ".": no
# "..", no absolute path, and never the hidden names LocalStorage writes to before renaming.
_KEY = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*")


class UnsafeKey(ValueError):
    """A storage key that could escape its folder or collide with a temporary name."""


class DocumentMissing(LookupError):
    """Nothing is stored under the key."""


class DocumentStorage(Protocol):
    async def put(self, key: str, staged: StagedFile) -> None:
        """Store a copy of ``staged`` under ``key``, replacing what was there, atomically.

        The staged file stays where it is: the caller discards it.
        """

    async def open(self, key: str) -> AsyncIterator[bytes]:
        """The document's bytes in chunks; raises `DocumentMissing` before any chunk.

        Iterate it to the end or ``aclose()`` it, so the file or connection is released.
        """

    async def delete(self, key: str) -> None:
        """Remove ``key``; nothing happens when it is not there (undoing a put may repeat)."""

    async def close(self) -> None:
        """Release connections; at the application's shutdown."""


def check_key(key: str) -> None:
    """Raise `UnsafeKey` unless ``key`` is safe as a file path and as an object name."""
    if not _KEY.fullmatch(key):
        raise UnsafeKey(f"unsafe document storage key: {key!r}")


class LocalStorage:
    """Documents as files under ``root``, for development and single-host deployments."""

    def __init__(self, root: Path) -> None:
        self.root = root

    async def put(self, key: str, staged: StagedFile) -> None:
        await asyncio.to_thread(_copy_atomically, staged.path, self._path(key))

    async def open(self, key: str) -> AsyncIterator[bytes]:
        try:
            file = _open(self._path(key))
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as error:
            raise DocumentMissing(key) from error
        return _read_chunks(file)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)

    async def close(self) -> None:
        """Nothing to release: files are opened per call."""

    def _path(self, key: str) -> Path:
        check_key(key)
        return self.root / key


class S3Storage:
    """Documents as objects in an S3-compatible bucket (AWS, MinIO, Ceph...).

    One client, made on first use, serves every call until `close`. Credentials left as
    None come from the usual AWS chain (environment, instance or pod role).
    """

    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None,
        region: str,
        access_key_id: str | None,
        secret_access_key: str | None,
    ) -> None:
        self.bucket = bucket
        self._options: dict[str, Any] = {
            "endpoint_url": endpoint_url,
            "region_name": region,
            "aws_access_key_id": access_key_id,
            "aws_secret_access_key": secret_access_key,
            # Self-hosted S3 rarely has a DNS name per bucket; every implementation knows paths.
            "config": AioConfig(s3={"addressing_style": "path"}) if endpoint_url else None,
        }
        self._exits = AsyncExitStack()
        self._client: Any = None
        self._lock = asyncio.Lock()

    async def put(self, key: str, staged: StagedFile) -> None:
        check_key(key)
        # Read whole: a document is capped at a few MB by intake, and a bytes body lets
        # botocore sign and send it without blocking reads on the event loop.
        body = await asyncio.to_thread(staged.path.read_bytes)
        client = await self._s3()
        await client.put_object(
            Bucket=self.bucket,
            Key=key,
            Body=body,
            ContentType=staged.content_type,
            # S3 verifies the bytes against intake's hash, so a corrupted upload is refused.
            # Named as SDKs name it: some S3 implementations (moto) keep it only then.
            ChecksumAlgorithm="SHA256",
            ChecksumSHA256=base64.b64encode(bytes.fromhex(staged.sha256)).decode(),
        )

    async def open(self, key: str) -> AsyncIterator[bytes]:
        check_key(key)
        client = await self._s3()
        try:
            response = await client.get_object(Bucket=self.bucket, Key=key)
        except client.exceptions.NoSuchKey as error:
            raise DocumentMissing(key) from error
        return _stream_body(response["Body"])

    async def delete(self, key: str) -> None:
        check_key(key)
        client = await self._s3()
        await client.delete_object(Bucket=self.bucket, Key=key)

    async def close(self) -> None:
        async with self._lock:
            await self._exits.aclose()
            self._client = None

    async def _s3(self) -> Any:
        async with self._lock:
            if self._client is None:
                self._client = await self._exits.enter_async_context(
                    get_session().create_client("s3", **self._options)
                )
            return self._client


def storage_from_settings(
    location: str,
    *,
    s3_endpoint_url: str | None = None,
    s3_region: str = "us-east-1",
    s3_access_key_id: str | None = None,
    s3_secret_access_key: str | None = None,
) -> DocumentStorage:
    """The storage that ``location`` names; the ``s3_*`` values matter for S3 only.

    ``location`` is a folder (``var/permits-documents``), the same as an absolute URL
    (``local:///var/lib/kota/permits-documents``), or a bucket (``s3://permits-documents``).
    """
    scheme, separator, rest = location.partition("://")
    if not separator:
        return LocalStorage(Path(location))
    if scheme == "local" and rest.startswith("/"):
        return LocalStorage(Path(rest))
    if scheme == "s3" and rest and "/" not in rest:
        return S3Storage(
            rest,
            endpoint_url=s3_endpoint_url,
            region=s3_region,
            access_key_id=s3_access_key_id,
            secret_access_key=s3_secret_access_key,
        )
    raise ValueError(
        f"unsupported documents location {location!r}: use a folder, "
        "local:///an/absolute/folder, or s3://bucket"
    )


def _copy_atomically(source: Path, target: Path) -> None:
    """Copy ``source`` to a hidden name beside ``target``, flush it to disk, then rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as reader:
        descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        try:
            with os.fdopen(descriptor, "wb") as writer:
                shutil.copyfileobj(reader, writer, CHUNK_BYTES)
                writer.flush()
                os.fsync(writer.fileno())
            os.replace(name, target)
        except BaseException:
            os.unlink(name)
            raise
    # The rename itself survives a crash only once the folder is flushed too.
    folder = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def _open(path: Path) -> BinaryIO:
    """Open synchronously (one syscall) so a cancelled caller cannot leak the handle."""
    return path.open("rb")


async def _read_chunks(file: BinaryIO) -> AsyncIterator[bytes]:
    with file:
        while chunk := await asyncio.to_thread(file.read, CHUNK_BYTES):
            yield chunk


async def _stream_body(body: Any) -> AsyncIterator[bytes]:
    async with body:
        async for chunk in body.iter_chunks(CHUNK_BYTES):
            yield chunk
