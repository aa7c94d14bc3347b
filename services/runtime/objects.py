"""Files a service keeps whole, such as an application's materials: in the service's own database by
default, or in an S3-compatible object store when OBJECT_STORE_URL is set.

An object's key is its content's SHA-256 under the service's name (`egov/<sha256>`). So writing it
before the transaction that records it commits is safe. A retried call writes the same object
again, and a transaction that fails leaves only an object nothing refers to, never a row whose file
is missing. The store is spoken to as plain S3 (the MinIO SDK), so any S3-compatible store works:
a cluster's Ceph RGW, a cloud's object storage, or the local versitygw of infra/local/objectstore.sh.

Settings: OBJECT_STORE_URL (http(s)://host:port), OBJECT_STORE_BUCKET, OBJECT_STORE_ACCESS_KEY,
OBJECT_STORE_SECRET_KEY (or OBJECT_STORE_SECRET_KEY_FILE, a mounted Secret) and OBJECT_STORE_REGION.
"""

from __future__ import annotations

import hashlib
import io
import pathlib
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3
from minio import Minio
from minio.error import S3Error

from runtime.errors import Unavailable
from runtime.settings import env, env_float


def key_of(service: str, content: bytes) -> str:
    return f"{service}/{hashlib.sha256(content).hexdigest()}"


@dataclass
class ObjectStore:
    """One bucket of an S3-compatible store, for one service's objects."""

    client: Minio
    bucket: str
    service: str

    def put(self, content: bytes, media_type: str) -> str:
        """Keep the content; its key (the same content, the same key)."""
        key = key_of(self.service, content)
        try:
            self.client.put_object(self.bucket, key, io.BytesIO(content), len(content), content_type=media_type)
        except (S3Error, urllib3.exceptions.HTTPError, OSError) as exc:
            raise Unavailable(f"the object store did not keep the file ({_reason(exc)}); try again") from exc
        return key

    def get(self, key: str) -> bytes:
        try:
            response = self.client.get_object(self.bucket, key)
        except (S3Error, urllib3.exceptions.HTTPError, OSError) as exc:
            raise Unavailable(f"the object store did not give the file back ({_reason(exc)}); try again") from exc
        try:
            return response.read()
        finally:
            response.close()
            response.release_conn()


def _reason(exc: Exception) -> str:
    return (exc.code or "S3Error") if isinstance(exc, S3Error) else type(exc).__name__


def from_env(service: str) -> ObjectStore | None:
    """The configured store (None: keep files in the service's database)."""
    url = env("OBJECT_STORE_URL")
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"OBJECT_STORE_URL must be http(s)://host[:port], not {url!r}")
    secret_file = env("OBJECT_STORE_SECRET_KEY_FILE")
    secret = pathlib.Path(secret_file).read_text().strip() if secret_file else env("OBJECT_STORE_SECRET_KEY")
    timeout = env_float("OBJECT_STORE_TIMEOUT_SECONDS", 5.0)
    # A short deadline and few retries: a call waits seconds for a store that does not answer, never minutes.
    http = urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=min(timeout, 2.0), read=timeout),
        retries=urllib3.Retry(total=2, backoff_factor=0.2, status_forcelist=(500, 502, 503, 504)),
    )
    client = Minio(
        parts.netloc,
        access_key=env("OBJECT_STORE_ACCESS_KEY"),
        secret_key=secret,
        secure=parts.scheme == "https",
        region=env("OBJECT_STORE_REGION", "us-east-1"),
        http_client=http,
    )
    bucket = env("OBJECT_STORE_BUCKET")
    if not bucket:
        raise ValueError("OBJECT_STORE_BUCKET is needed with OBJECT_STORE_URL")
    return ObjectStore(client, bucket, service)
