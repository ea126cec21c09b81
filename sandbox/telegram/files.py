"""Files the bot sent or uploaded, under opaque ids the fake hands out, downloadable through
the file route after `getFile` as with Telegram."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from sandbox.telegram.errors import BotApiError


@dataclass
class UploadedFile:
    """A file part of a multipart request."""

    filename: str
    content_type: str
    data: bytes


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes | None
    source_url: str | None = None
    width: int = 800
    height: int = 600

    def photo_sizes(self) -> list[dict[str, Any]]:
        size: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "width": self.width,
            "height": self.height,
        }
        if self.data is not None:
            size["file_size"] = len(self.data)
        return [size]

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_path": self.file_path,
        }
        if self.data is not None:
            data["file_size"] = len(self.data)
        return data


class FileStore:
    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._by_url: dict[str, StoredFile] = {}

    def _add(self, data: bytes | None, url: str | None, suffix: str) -> StoredFile:
        unique = hashlib.sha256(data if data is not None else (url or "").encode()).hexdigest()
        file_id = f"AgACAgIAAxk{secrets.token_urlsafe(24)}"
        stored = StoredFile(
            file_id=file_id,
            file_unique_id=f"AQAD{unique[:12]}",
            file_path=f"photos/file_{len(self._by_id)}{suffix}",
            data=data,
            source_url=url,
        )
        self._by_id[file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def from_person(self, data: bytes, suffix: str) -> StoredFile:
        """A file a person sends the bot (a photo, a sticker), downloadable like any other."""
        return self._add(data, None, suffix)

    def photo(self, value: Any) -> StoredFile:
        """Resolve a `photo`/`media` value: an upload, an http(s) URL, or a known file id."""
        if isinstance(value, UploadedFile):
            suffix = ".png" if value.content_type == "image/png" else ".jpg"
            return self._add(value.data, None, suffix)
        if not isinstance(value, str) or not value:
            raise BotApiError(400, "wrong file identifier/HTTP URL specified")
        if value in self._by_id:
            return self._by_id[value]
        if value.startswith(("http://", "https://")) and "." in value.split("/")[2]:
            if value not in self._by_url:
                self._by_url[value] = self._add(None, value, ".jpg")
            return self._by_url[value]
        raise BotApiError(400, "wrong file identifier/HTTP URL specified")

    def get(self, file_id: str) -> StoredFile:
        stored = self._by_id.get(file_id)
        if stored is None:
            raise BotApiError(400, "invalid file_id")
        return stored

    def by_path(self, path: str) -> StoredFile | None:
        return self._by_path.get(path)
