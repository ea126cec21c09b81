"""The architecture's import rules (DESIGN.md, "Layout and floors"), checked by reading every
module's imports: each floor imports only the floors below it, no two modules import each
other, views stay pure, and the stand-ins share nothing with the bot."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# From the roof down. `locales` and `settings` are read by every floor and import none.
FLOORS = ("application", "conversations", "handlers", "jobs", "ui", "shop", "oneentry_client")
SAME_FLOOR = {"conversations": "handlers", "handlers": "conversations"}
BOT_PACKAGES = (*FLOORS, "locales")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_imports(directory: str, *, skip: tuple[str, ...] = ()) -> dict[str, set[str]]:
    """The full dotted names each module under `directory` imports (`from a.b import c` counts
    as both `a.b` and `a.b.c`, since c may be a module)."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / directory).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if any(relative.startswith(prefix) for prefix in skip):
            continue
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=relative)):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
        found[_module_name(path)] = names
    return found


def imports_of(directory: str, *, skip: tuple[str, ...] = ()) -> dict[str, set[str]]:
    """Top-level package names each module under `directory` imports."""
    return {
        module: {name.split(".")[0] for name in names}
        for module, names in module_imports(directory, skip=skip).items()
    }


@pytest.mark.parametrize("floor", FLOORS)
def test_each_floor_imports_only_the_floors_below_it(floor: str) -> None:
    above = set(FLOORS[: FLOORS.index(floor)]) - {SAME_FLOOR.get(floor, "")}
    offenders = {
        module: names & above for module, names in imports_of(floor).items() if names & above
    }
    assert not offenders


def test_handlers_and_conversations_do_not_import_each_other() -> None:
    """They share one floor; only `application` wires them together."""
    offenders = {
        module: names & {"handlers", "conversations"} - {module.split(".")[0]}
        for floor in ("handlers", "conversations")
        for module, names in imports_of(floor).items()
        if names & {"handlers", "conversations"} - {module.split(".")[0]}
    }
    assert not offenders


def test_no_modules_import_each_other() -> None:
    """No circle of imports, of two modules or more."""
    graph: dict[str, set[str]] = {}
    for directory in BOT_PACKAGES:
        graph.update(module_imports(directory))
    edges = {
        module: {name for name in names if name in graph} - {module}
        for module, names in graph.items()
    }
    assert not _circles(edges)


def _circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Each circle found by a depth-first walk, as the modules on it."""
    found: list[list[str]] = []
    done: set[str] = set()

    def walk(module: str, path: list[str]) -> None:
        if module in path:
            found.append([*path[path.index(module) :], module])
            return
        if module in done:
            return
        for target in sorted(edges[module]):
            walk(target, [*path, module])
        done.add(module)

    for module in sorted(edges):
        walk(module, [])
    return found


def test_views_are_pure() -> None:
    """`(texts, plain values) -> Screen`: no context, no sending, no telegram.ext."""
    forbidden = ("telegram.ext", "ui.context", "ui.sending", "ui.admin_gate", "ui.commands")
    offenders = {
        module: {name for name in names if name.startswith(forbidden)}
        for module, names in module_imports("ui/views").items()
        if any(name.startswith(forbidden) for name in names)
    }
    assert not offenders


@pytest.mark.parametrize("directory", ["handlers", "conversations", "jobs", "ui"])
def test_the_telegram_side_never_talks_http(directory: str) -> None:
    """Callbacks parse, call shop and render; only shop/ talks to OneEntry."""
    offenders = {
        module: names & {"oneentry_client", "httpx", "aiohttp"}
        for module, names in imports_of(directory).items()
        if names & {"oneentry_client", "httpx", "aiohttp"}
    }
    assert not offenders


def test_shop_knows_nothing_of_telegram() -> None:
    forbidden = {"telegram", *FLOORS[: FLOORS.index("shop")]}
    offenders = {
        module: names & forbidden
        for module, names in imports_of("shop").items()
        if names & forbidden
    }
    assert not offenders


def test_client_knows_only_the_oneentry_api() -> None:
    forbidden = {"telegram", *FLOORS[: FLOORS.index("oneentry_client")], "settings"}
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
