"""Materials uploaded for an application: the format is read from the content (never from the
name or the declared type alone), within the district's size limit, and kept as bytes in the
service's own database, or in an S3-compatible object store when one is configured (the row then
keeps the object's key: runtime.objects); they are served back only as the stored media type, as
an attachment."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

from egov.domain.catalog import Guide, Uploads
from runtime.errors import InvalidArgument, text_errors
from runtime.uow import Aggregate

MAX_FILE_NAME = 100

# The first bytes of each format the catalog may accept.
SIGNATURES = {"pdf": (b"%PDF-",), "png": (b"\x89PNG\r\n\x1a\n",), "jpg": (b"\xff\xd8\xff",)}


def sniff(content: bytes) -> str:
    """The format of `content` by its signature ("" when none we know)."""
    for fmt, prefixes in SIGNATURES.items():
        if content.startswith(prefixes):
            return fmt
    return ""


class Material(Aggregate):
    """A file the household (or its agent) gave for one of the guide's materials."""

    def __init__(
        self,
        id: str,
        application_id: str,
        code: str,
        file_name: str,
        media_type: str,
        size: int,
        sha256: str,
        content: bytes,
        added_at: dt.datetime,
        added_by: str,
        object_key: str = "",
    ):
        self.id = id
        self.application_id = application_id
        self.code = code
        self.file_name = file_name
        self.media_type = media_type
        self.size = size
        self.sha256 = sha256
        self.content = content
        self.added_at = added_at
        self.added_by = added_by
        # Set: the content is in the object store under this key, and `content` is empty here.
        self.object_key = object_key

    @classmethod
    def checked(
        cls,
        application_id: str,
        guide: Guide,
        uploads: Uploads,
        code: str,
        file_name: str,
        media_type: str,
        content: bytes,
        by: str,
        now: dt.datetime,
    ) -> Material:
        """A material as given, if the guide asks for it and its content is an accepted format
        (the declared media type, if any, must agree) of at most the district's size."""
        errors = text_errors({"material_code": (code, 64), "file_name": (file_name, MAX_FILE_NAME)})
        if not code:
            errors["material_code"] = "is required"
        elif "material_code" not in errors and guide.material(code) is None:
            errors["material_code"] = "one of " + ", ".join(m.code for m in guide.materials)
        if not content:
            errors["content"] = "is required"
        elif len(content) > uploads.max_bytes:
            errors["content"] = f"at most {uploads.max_bytes} bytes"
        else:
            fmt = sniff(content)
            if fmt not in uploads.formats:
                errors["content"] = "a file of type " + ", ".join(uploads.formats)
            elif media_type and media_type != uploads.formats[fmt]:
                errors["media_type"] = f"the content is {uploads.formats[fmt]}"
        if errors:
            raise InvalidArgument("invalid material: " + ", ".join(errors), errors)
        fmt = sniff(content)
        digest = hashlib.sha256(content).hexdigest()
        name = file_name or f"{code}.{fmt}"
        return cls(
            str(uuid.uuid4()), application_id, code, name, uploads.formats[fmt], len(content), digest, content, now, by
        )

    def kept_in(self, object_key: str) -> None:
        """The content is kept in the object store: the row keeps its key, size and digest only."""
        self.object_key, self.content = object_key, b""
