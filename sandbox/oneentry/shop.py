"""Shop definitions: the project the emulator plays, described as data.

A definition is one JSON file: the catalogue, the order form, the storage with its statuses,
payment accounts, languages, users, past orders, the behaviour switches where real projects
differ, and the `.env` lines a bot needs for it. The bundled ones live in `shops/` and are
named by their file stem (`tea`, `market`); any other file is named by its path. The format is
documented in this package's README.md. A definition that fails `shop_check` stops start-up with
one message naming the file and every problem found.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sandbox.oneentry.behaviours import Behaviours, behaviours_of
from sandbox.oneentry.product_series import SeriesError, expand_series
from sandbox.oneentry.shop_check import check_definition

SHOPS_DIR = Path(__file__).with_name("shops")
DEFAULT_SHOP = "tea"


class ShopDefinitionError(ValueError):
    """The shop definition is missing, not JSON, or inconsistent."""


def shop_names() -> list[str]:
    """The bundled shops, by name."""
    return sorted(path.stem for path in SHOPS_DIR.glob("*.json"))


def shop_path(name_or_path: str | Path | None = None) -> Path:
    """The file of a bundled shop (`"market"`), or `name_or_path` taken as a path."""
    if name_or_path is None:
        name_or_path = DEFAULT_SHOP
    if isinstance(name_or_path, str) and name_or_path in shop_names():
        return SHOPS_DIR / f"{name_or_path}.json"
    path = Path(name_or_path)
    if isinstance(name_or_path, str) and not path.suffix and not path.exists():
        known = ", ".join(shop_names())
        raise ShopDefinitionError(
            f"no bundled shop named '{name_or_path}' (bundled: {known}) and no such file"
        )
    return path


@dataclass(frozen=True)
class ShopDefinition:
    """A checked definition with the lookups the emulator needs; entries are the file's dicts."""

    data: dict[str, Any]
    source: str

    @property
    def name(self) -> str:
        project_name: str = self.data["project"].get("name") or Path(self.source).stem
        return project_name

    @property
    def app_token(self) -> str:
        token: str = self.data["project"]["appToken"]  # checked: a string
        return token

    @property
    def currency(self) -> str:
        currency: str = self.data["project"].get("currency", "")  # checked: a string
        return currency

    @property
    def price_attribute(self) -> str:
        """The marker of the attribute flagged `isPrice`, which prices order lines."""
        marker: str = self.data["project"].get("priceAttribute", "price")
        return marker

    @property
    def guest(self) -> dict[str, Any]:
        return next(user for user in self.data["users"] if user.get("guest"))

    @property
    def active_locales(self) -> list[dict[str, Any]]:
        """The active languages, in position order."""
        active = [entry for entry in self.data["locales"] if entry.get("isActive", True)]
        return sorted(active, key=lambda entry: (entry["position"], entry["id"]))

    @property
    def default_lang(self) -> str:
        """The first active language: what a request without `langCode` gets."""
        code: str = self.active_locales[0]["code"]
        return code

    @property
    def behaviours(self) -> Behaviours:
        return behaviours_of(self.data.get("behaviours", {}))

    @property
    def bot_settings(self) -> dict[str, str]:
        """The definition's own `botSettings` (not the four the emulator derives)."""
        settings: dict[str, str] = dict(self.data.get("botSettings", {}))
        return settings

    def fresh_copy(self) -> dict[str, Any]:
        """A deep copy of the data, so a reset never sees mutations of a previous run."""
        return copy.deepcopy(self.data)


def load_shop(name_or_path: str | Path | None = None) -> ShopDefinition:
    """Read and check a shop definition: a bundled name, a path, or None for the tea shop."""
    path = shop_path(name_or_path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ShopDefinitionError(f"cannot read shop definition {path}: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise ShopDefinitionError(f"shop definition {path} is not valid JSON: {exc}") from exc
    if isinstance(data, dict):
        try:
            data = expand_series(data)
        except SeriesError as exc:
            raise ShopDefinitionError(f"shop definition {path} is invalid:\n  - {exc}") from exc
    problems = check_definition(data)
    if problems:
        raise ShopDefinitionError(
            f"shop definition {path} is invalid:\n  - " + "\n  - ".join(problems)
        )
    return ShopDefinition(data=data, source=str(path))
