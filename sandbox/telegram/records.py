"""What the fake saw: every Bot API call in order, and the findings a test must fail on
(requests real Telegram would reject, methods the fake does not implement, double answers)."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

from sandbox.telegram.files import UploadedFile


@dataclass
class Call:
    """One Bot API request: decoded parameters (uploads summarised), and its outcome."""

    seq: int
    method: str
    chat_id: int | str | None
    params: dict[str, Any]
    ok: bool | None = None
    result: Any = None
    error_code: int | None = None
    description: str | None = None
    at: float = field(default_factory=time.time)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Finding:
    """Something a test must not get away with."""

    kind: str  # "spec", "unimplemented", "double_answer", "unanswered_callback_query"
    method: str | None
    detail: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _loggable(value: Any) -> Any:
    if isinstance(value, UploadedFile):
        return f"<upload {value.filename} {len(value.data)} bytes>"
    if isinstance(value, dict):
        return {k: _loggable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_loggable(v) for v in value]
    return value


class Records:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.findings: list[Finding] = []

    def start_call(self, method: str, params: dict[str, Any]) -> Call:
        chat_id = params.get("chat_id")
        call = Call(len(self.calls) + 1, method, chat_id, _loggable(params))
        self.calls.append(call)
        return call

    def find(self, kind: str, method: str | None, detail: str) -> None:
        self.findings.append(Finding(kind, method, detail))
