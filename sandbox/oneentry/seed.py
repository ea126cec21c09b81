"""The demo shop a user can replace: loading and light validation of the seed file.

The seed is plain JSON so a shop owner can try the bot with their own catalogue. It is checked
for the shape and the cross-references the emulator relies on, and a bad file stops start-up
with one message naming the file and every problem found.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_SEED_PATH = Path(__file__).with_name("seed") / "demo_shop.json"

_REQUIRED_LISTS = (
    "authProviders",
    "users",
    "productStatuses",
    "products",
    "forms",
    "paymentAccounts",
    "orderStorages",
)


class SeedError(ValueError):
    """The seed file is missing, not JSON, or inconsistent."""


@dataclass(frozen=True)
class Seed:
    """The seed data with the lookups the endpoints need. Entries are the file's own dicts."""

    data: dict[str, Any]
    source: str

    @property
    def app_token(self) -> str:
        token: str = self.data["project"]["appToken"]  # _check: a string
        return token

    @property
    def currency(self) -> str:
        currency: str = self.data["project"].get("currency", "")  # not checked by _check
        return currency

    @property
    def guest(self) -> dict[str, Any]:
        return next(user for user in self.data["users"] if user.get("guest"))

    def fresh_copy(self) -> dict[str, Any]:
        """A deep copy of the data, so a reset never sees mutations of a previous run."""
        return copy.deepcopy(self.data)


def _check(data: Any) -> list[str]:
    """Every problem with the seed's shape and references, in file order."""
    if not isinstance(data, dict):
        return ["the top level must be a JSON object"]
    problems: list[str] = []
    project = data.get("project")
    if not isinstance(project, dict) or not isinstance(project.get("appToken"), str):
        problems.append('"project.appToken" must be a string')
    for key in _REQUIRED_LISTS:
        if not isinstance(data.get(key), list) or not all(isinstance(x, dict) for x in data[key]):
            problems.append(f'"{key}" must be a list of objects')
    if problems:
        return problems

    for index, product in enumerate(data["products"]):
        where = f"products[{index}]"
        if not isinstance(product.get("id"), int):
            problems.append(f"{where}.id must be an integer")
        if not isinstance(product.get("price"), int | float) or isinstance(product["price"], bool):
            problems.append(f"{where}.price must be a number")
        if not isinstance(product.get("localizeInfos"), dict) or not product["localizeInfos"]:
            problems.append(f"{where}.localizeInfos must map languages to {{title}}")
    status_ids = {s.get("identifier") for s in data["productStatuses"]}
    for index, product in enumerate(data["products"]):
        status = product.get("statusIdentifier")
        if status is not None and status not in status_ids:
            problems.append(
                f"products[{index}].statusIdentifier '{status}' is not a product status"
            )

    guests = [u for u in data["users"] if u.get("guest")]
    if len(guests) != 1:
        problems.append('exactly one user must have "guest": true')
    providers = {p.get("identifier") for p in data["authProviders"]}
    for index, user in enumerate(data["users"]):
        if not all(isinstance(user.get(k), str) and user[k] for k in ("login", "password")):
            problems.append(f"users[{index}] needs a non-empty login and password")
        if user.get("authProvider") not in providers:
            problems.append(f"users[{index}].authProvider is not an auth provider")

    forms = {f.get("identifier") for f in data["forms"]}
    accounts = {a.get("identifier") for a in data["paymentAccounts"]}
    for index, storage in enumerate(data["orderStorages"]):
        where = f"orderStorages[{index}]"
        if storage.get("formIdentifier") not in forms:
            problems.append(f"{where}.formIdentifier is not a form")
        for account in storage.get("paymentAccountIdentifiers", []):
            if account not in accounts:
                problems.append(f"{where} links unknown payment account '{account}'")
        for key in ("orderStatuses", "paymentStatuses"):
            defaults = [s for s in storage.get(key, []) if s.get("isDefault")]
            if len(defaults) != 1:
                problems.append(f"{where}.{key} needs exactly one status with isDefault")
        if not any(s.get("isPaid") for s in storage.get("paymentStatuses", [])):
            problems.append(f'{where}.paymentStatuses needs one status with "isPaid": true')
    return problems


def load_seed(path: str | Path | None = None) -> Seed:
    """Read and check the seed file (the bundled demo shop when `path` is None)."""
    seed_path = Path(path) if path is not None else DEFAULT_SEED_PATH
    try:
        data = json.loads(seed_path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SeedError(f"cannot read seed file {seed_path}: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise SeedError(f"seed file {seed_path} is not valid JSON: {exc}") from exc
    problems = _check(data)
    if problems:
        raise SeedError(f"seed file {seed_path} is invalid:\n  - " + "\n  - ".join(problems))
    return Seed(data=data, source=str(seed_path))
