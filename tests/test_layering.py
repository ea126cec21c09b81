"""The architecture's import rules (DESIGN.md, "Which way things flow"), checked by reading
every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BOT_PACKAGES = ("application", "handlers", "conversations", "shop", "oneentry_client", "locales")


def imports_of(directory: str, *, skip: tuple[str, ...] = ()) -> dict[str, set[str]]:
    """Top-level package names each module under `directory` imports."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / directory).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if any(relative.startswith(prefix) for prefix in skip):
            continue
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=relative)):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[relative] = names
    return found


@pytest.mark.parametrize("directory", ["handlers", "conversations"])
def test_handlers_never_talk_http(directory: str) -> None:
    """Handlers parse, call shop and render; only shop/ talks to OneEntry."""
    offenders = {
        module: names & {"oneentry_client", "httpx"}
        for module, names in imports_of(directory).items()
        if names & {"oneentry_client", "httpx"}
    }
    assert not offenders


def test_shop_knows_nothing_of_telegram() -> None:
    offenders = {
        module: names & {"telegram", "handlers", "conversations", "application"}
        for module, names in imports_of("shop").items()
        if names & {"telegram", "handlers", "conversations", "application"}
    }
    assert not offenders


def test_client_knows_only_the_oneentry_api() -> None:
    forbidden = {"telegram", "shop", "handlers", "conversations", "application", "settings"}
    offenders = {
        module: names & forbidden
        for module, names in imports_of("oneentry_client").items()
        if names & forbidden
    }
    assert not offenders


def test_stand_ins_share_no_code_with_the_bot() -> None:
    """The other side of the wire: sharing code with the bot would hide contract bugs. Only
    the demo, which runs the real bot against the stand-ins, may import it."""
    forbidden = {*BOT_PACKAGES, "settings", "bot"}
    offenders = {
        module: names & forbidden
        for module, names in imports_of("sandbox", skip=("sandbox/demo/",)).items()
        if names & forbidden
    }
    assert not offenders
