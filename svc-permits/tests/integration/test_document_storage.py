"""Document storage, local and S3 (a real moto server): all-or-nothing puts, streams, undo."""

import base64
import hashlib
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from permits.documents.intake import PDF, StagedFile
from permits.documents.storage import (
    DocumentMissing,
    DocumentStorage,
    LocalStorage,
    S3Storage,
    UnsafeKey,
    storage_from_settings,
)

S3_SETTINGS = {"s3_region": "us-east-1", "s3_access_key_id": "test", "s3_secret_access_key": "test"}

UNSAFE_KEYS = [
    "",
    "../escape",
    "applications/../../escape",
    "/etc/passwd",
    "applications//doc",
    "applications/",
    ".hidden",
    "applications/.doc.tmp",
    "applications\\doc",
    "dokumen ktp",
    "ktp\x00.pdf",
]


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture(scope="session")
def s3(s3_endpoint: str) -> Any:
    """A plain boto3 client, to look at the bucket from outside the code under test."""
    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


@pytest.fixture
def bucket(s3: Any) -> str:
    name = f"permits-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    return name


@pytest.fixture(params=["local", "s3"])
async def storage(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[DocumentStorage]:
    """Each backend as the settings would build it."""
    if request.param == "local":
        built = storage_from_settings(str(tmp_path / "documents"))
    else:
        built = storage_from_settings(
            f"s3://{request.getfixturevalue('bucket')}",
            s3_endpoint_url=request.getfixturevalue("s3_endpoint"),
            **S3_SETTINGS,
        )
    try:
        yield built
    finally:
        await built.close()


def stage(folder: Path, data: bytes, name: str = "upload.part") -> StagedFile:
    path = folder / name
    path.write_bytes(data)
    return StagedFile(
        path=path, size=len(data), sha256=hashlib.sha256(data).hexdigest(), content_type=PDF
    )


def files_under(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


async def read_all(storage: DocumentStorage, key: str) -> bytes:
    return b"".join([chunk async for chunk in await storage.open(key)])


def document(size: int) -> bytes:
    return b"%PDF-1.7\n" + os.urandom(size)


async def test_a_stored_document_streams_back_whole(
    storage: DocumentStorage, tmp_path: Path
) -> None:
    data = document(200 * 1024 + 3)  # several chunks, the last one short
    staged = stage(tmp_path, data)

    await storage.put("applications/a1/ktp", staged)

    chunks = [chunk async for chunk in await storage.open("applications/a1/ktp")]
    assert len(chunks) > 1
    assert b"".join(chunks) == data
    assert staged.path.read_bytes() == data  # put copies; discarding is the caller's


async def test_a_put_replaces_what_was_under_the_key(
    storage: DocumentStorage, tmp_path: Path
) -> None:
    await storage.put("doc", stage(tmp_path, document(10), "first"))
    second = document(20)

    await storage.put("doc", stage(tmp_path, second, "second"))

    assert await read_all(storage, "doc") == second


async def test_opening_a_missing_document_fails_before_any_chunk(
    storage: DocumentStorage,
) -> None:
    with pytest.raises(DocumentMissing):
        await storage.open("applications/a1/never-stored")


async def test_deleting_undoes_a_put_and_may_be_repeated(
    storage: DocumentStorage, tmp_path: Path
) -> None:
    await storage.put("applications/a1/ktp", stage(tmp_path, document(10)))

    await storage.delete("applications/a1/ktp")
    await storage.delete("applications/a1/ktp")
    await storage.delete("applications/a1/never-stored")

    with pytest.raises(DocumentMissing):
        await storage.open("applications/a1/ktp")


async def test_a_put_whose_file_is_gone_stores_nothing(
    storage: DocumentStorage, tmp_path: Path
) -> None:
    staged = stage(tmp_path, document(10))
    staged.discard()

    with pytest.raises(FileNotFoundError):
        await storage.put("applications/a1/ktp", staged)

    with pytest.raises(DocumentMissing):
        await storage.open("applications/a1/ktp")


@pytest.mark.parametrize("key", UNSAFE_KEYS)
async def test_unsafe_keys_are_refused(storage: DocumentStorage, tmp_path: Path, key: str) -> None:
    staged = stage(tmp_path, document(10))

    with pytest.raises(UnsafeKey):
        await storage.put(key, staged)
    with pytest.raises(UnsafeKey):
        await storage.open(key)
    with pytest.raises(UnsafeKey):
        await storage.delete(key)


async def test_local_puts_leave_only_the_document_in_the_folder(tmp_path: Path) -> None:
    root = tmp_path / "documents"
    storage = LocalStorage(root)

    await storage.put("applications/a1/ktp", stage(tmp_path, document(10)))
    await storage.put("applications/a1/ktp", stage(tmp_path, document(10)))
    await storage.delete("applications/a1/never-stored")

    assert files_under(root) == ["applications/a1/ktp"]


async def test_a_local_put_that_cannot_rename_leaves_no_temporary_file(tmp_path: Path) -> None:
    root = tmp_path / "documents"
    storage = LocalStorage(root)
    (root / "applications" / "a1" / "ktp").mkdir(parents=True)
    (root / "applications" / "a1" / "ktp" / "x").write_bytes(b"a folder where the file goes")

    with pytest.raises(IsADirectoryError):
        await storage.put("applications/a1/ktp", stage(tmp_path, document(10)))

    assert files_under(root) == ["applications/a1/ktp/x"]


async def test_s3_keeps_the_content_type_and_verified_checksum(
    s3_endpoint: str, s3: Any, bucket: str, tmp_path: Path
) -> None:
    data = document(1000)
    staged = stage(tmp_path, data)
    storage = S3Storage(
        bucket,
        endpoint_url=s3_endpoint,
        region="us-east-1",
        access_key_id="test",
        secret_access_key="test",
    )
    try:
        await storage.put("applications/a1/ktp", staged)
    finally:
        await storage.close()

    head = s3.head_object(Bucket=bucket, Key="applications/a1/ktp", ChecksumMode="ENABLED")
    assert head["ContentType"] == PDF
    assert head["ChecksumSHA256"] == base64.b64encode(hashlib.sha256(data).digest()).decode()


async def test_a_storage_can_be_used_again_after_closing(
    storage: DocumentStorage, tmp_path: Path
) -> None:
    await storage.put("doc", stage(tmp_path, document(10)))
    await storage.close()

    assert await read_all(storage, "doc") == (tmp_path / "upload.part").read_bytes()


@pytest.mark.parametrize(
    ("location", "root"),
    [
        ("var/permits-documents", Path("var/permits-documents")),
        ("/srv/documents", Path("/srv/documents")),
        ("local:///var/lib/kota/permits-documents", Path("/var/lib/kota/permits-documents")),
    ],
)
def test_a_folder_location_means_local_storage(location: str, root: Path) -> None:
    storage = storage_from_settings(location)

    assert isinstance(storage, LocalStorage)
    assert storage.root == root


def test_an_s3_location_names_the_bucket() -> None:
    storage = storage_from_settings("s3://permits-documents", **S3_SETTINGS)

    assert isinstance(storage, S3Storage)
    assert storage.bucket == "permits-documents"


@pytest.mark.parametrize(
    "location",
    ["local://relative/folder", "s3://", "s3://bucket/prefix", "file:///srv/documents"],
)
def test_unsupported_locations_are_refused(location: str) -> None:
    with pytest.raises(ValueError, match="unsupported documents location"):
        storage_from_settings(location)
