"""Install and run the Node project in `js/` that drives the official OneEntry JS SDK.

The SDK is the closest thing to the real API we can run here: its paths, headers and bodies
are what OneEntry serves, and its own response schemas say what OneEntry returns. So running
it against the emulator checks the emulator, and through it every test built on the emulator.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sandbox.oneentry import EmulatorState, RunningEmulator
from sandbox.oneentry.past_orders import payment_link_kind

JS_DIR = Path(__file__).parent / "js"
SCRIPT = JS_DIR / "run_sdk.mjs"
LOCKFILE = JS_DIR / "package-lock.json"
# Written after a successful `npm ci`: the hash of the lockfile it installed.
INSTALL_STAMP = JS_DIR / "node_modules" / ".contract-lock-sha256"
NPM_CI = ("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline")
INSTALL_TIMEOUT_S = 180.0


class SdkInstallError(RuntimeError):
    """`npm ci` failed: the pinned SDK could not be installed."""


def missing_tools() -> str | None:
    """Why the SDK cannot run on this machine, or None when node and npm are on PATH."""
    absent = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if not absent:
        return None
    return f"{' and '.join(absent)} not on PATH: the JS SDK contract test needs Node.js >= 18"


def _lockfile_digest() -> str:
    return hashlib.sha256(LOCKFILE.read_bytes()).hexdigest()


@contextlib.contextmanager
def _install_lock() -> Iterator[None]:
    """Serialise installs across processes: engineers run suites in the same tree at once."""
    tag = hashlib.sha256(str(JS_DIR.resolve()).encode()).hexdigest()[:16]
    lock_path = Path(tempfile.gettempdir()) / f"oneentry-contract-npm-{tag}.lock"
    with lock_path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_sdk_installed() -> None:
    """Run `npm ci` in js/ unless node_modules already holds exactly the locked packages."""
    with _install_lock():
        digest = _lockfile_digest()
        if INSTALL_STAMP.is_file() and INSTALL_STAMP.read_text().strip() == digest:
            return
        try:
            completed = subprocess.run(
                NPM_CI,
                cwd=JS_DIR,
                capture_output=True,
                text=True,
                timeout=INSTALL_TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise SdkInstallError(
                f"`{' '.join(NPM_CI)}` took over {INSTALL_TIMEOUT_S:.0f} s"
            ) from error
        if completed.returncode != 0:
            raise SdkInstallError(
                f"`{' '.join(NPM_CI)}` exited {completed.returncode}:\n{completed.stderr[-3000:]}"
            )
        INSTALL_STAMP.write_text(digest + "\n")


@dataclass(frozen=True)
class CallReport:
    """One SDK call as the script reported it."""

    call: str
    ok: bool
    error: Any
    sample: Any
    requests: list[str]

    def describe(self) -> str:
        """The failure in one readable block: what the SDK said and what was sent."""
        return (
            f"{self.call} failed: {json.dumps(self.error, ensure_ascii=False, indent=2)}\n"
            f"requests: {self.requests}"
        )


@dataclass(frozen=True)
class SdkRun:
    """The outcome of one run of the script."""

    returncode: int
    calls: list[CallReport]
    stderr: str
    unparsed: list[str] = field(default_factory=list)

    def by_name(self) -> dict[str, CallReport]:
        return {report.call: report for report in self.calls}


def _parse(stdout: str) -> tuple[list[CallReport], list[str]]:
    calls: list[CallReport] = []
    unparsed: list[str] = []
    for line in stdout.splitlines():
        try:
            record = json.loads(line)
            calls.append(
                CallReport(
                    call=record["call"],
                    ok=record["ok"],
                    error=record["error"],
                    sample=record["sample"],
                    requests=record.get("requests", []),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError):
            if line.strip():
                unparsed.append(line)
    return calls, unparsed


def emulator_settings(emulator: RunningEmulator) -> dict[str, str]:
    """What points the script at a running emulator: the bot's settings for its shop (the
    banner's lines), and the CONTRACT_* variables saying what that shop is like."""
    return shop_settings(emulator.state, emulator.url)


def shop_settings(state: EmulatorState, url: str) -> dict[str, str]:
    """`emulator_settings` for `state` served at `url`."""
    settings = state.bot_settings(url)
    storage = state.storage(settings.get("ONEENTRY_ORDER_STORAGE", "guest_orders"))
    links = []
    for identifier in storage["paymentAccountIdentifiers"]:
        kind = payment_link_kind(state.account(identifier))
        if kind == "delayed" and not state.behaviours.payment_link_delay_seconds:
            kind = "immediate"
        links.append(f"{identifier}:{kind}")
    lang = settings.get("ONEENTRY_LANG", state.default_lang)
    others = [locale["code"] for locale in state.active_locales() if locale["code"] != lang]
    form = state.form(settings.get("ONEENTRY_ORDER_FORM", "guest_order"))
    phone_marker = settings.get("ONEENTRY_PHONE_FIELD", "guest_phone")
    own = {
        settings.get("ONEENTRY_NAME_FIELD", "guest_name"),
        phone_marker,
        settings.get("ONEENTRY_EMAIL_FIELD", "guest_email"),
    }
    extra = [
        {"marker": field["marker"], "type": field["type"], "value": sample_value(field)}
        for field in form.get("attributes", [])
        if field["marker"] not in own and "requiredValidator" in field.get("validators", {})
    ]
    phone = next((f for f in form.get("attributes", []) if f["marker"] == phone_marker), {})
    mask = (phone.get("validators", {}).get("fieldMaskValidator") or {}).get("maskValue")
    return settings | {
        "CONTRACT_FORM_EXTRA": json.dumps(extra, ensure_ascii=False),
        "CONTRACT_PHONE": "".join("5" if c in "9#_" else c for c in mask) if mask else "",
        "CONTRACT_PAYMENT_LINKS": ",".join(links),
        "CONTRACT_SESSION_STATUS": state.behaviours.session_statuses.initial,
        "CONTRACT_OTHER_LANG": others[0] if others else "",
        "CONTRACT_CONTROL_URL": f"{url}/__sandbox__",
    }


def sample_value(field: dict[str, Any]) -> Any:
    """A value the form's required field takes, in its type's shape (a text long enough for
    a minimum length, a choice's first option)."""
    kind = field["type"]
    if kind == "text":
        return [{"plainValue": "Contract test street 1, Contract City"}]
    if kind in ("list", "radioButton"):
        option = field["listTitles"][0]
        return [{"title": "", "value": option["value"], "extended": {"value": None, "type": None}}]
    if kind == "integer":
        return 1
    if kind in ("real", "float"):
        return 1.5
    if kind in ("date", "dateTime", "time"):
        formats = {"date": ("01-06-2030", "DD-MM-YYYY"), "time": ("12:00", "HH:mm")}
        shown, shape = formats.get(kind, ("01-06-2030 12:00", "DD-MM-YYYY HH:mm"))
        return {
            "fullDate": "2030-06-01T12:00:00.000Z",
            "formattedValue": shown,
            "formatString": shape,
        }
    return "Contract test"


def expected_calls(settings: Mapping[str, str]) -> list[str]:
    """Every call the script reports for these settings, in order."""
    accounts = [part.split(":")[0] for part in settings["CONTRACT_PAYMENT_LINKS"].split(",")]
    others = accounts[1:]  # the first account's calls carry the bare names
    other_lang = settings.get("CONTRACT_OTHER_LANG")
    calls = [
        "AuthProvider.auth",
        "AuthProvider.refresh",
        "Locales.getLocales",
        "Products.getProducts",
        "Products.getProductById",
        "Products.getProductsByIds",
        "Products.searchProduct",
        "ProductStatuses.getProductStatuses",
        "Forms.getFormByMarker",
        "Orders.getOrdersStorageByMarker",
        "Orders.createOrder",
        "Orders.getAllOrdersByMarker",
        "Orders.getOrderByMarkerAndId",
        *([f"Orders.getOrderByMarkerAndId[{other_lang}]"] if other_lang else []),
        "Orders.getAllStatusesByStorageMarker",
        "Orders.updateOrderByMarkerAndId",
        "Payments.getAccounts",
        "Payments.createSession",
        "Payments.getSessionById",
        "Payments.getSessionByOrderId",
        "Payments.getSessions",
    ]
    for account in others:
        calls += [
            f"Orders.createOrder[{account}]",
            f"Payments.createSession[{account}]",
            f"Payments.getSessionByOrderId[{account}]",
        ]
    calls.append("AuthProvider.logout")
    if settings.get("CONTRACT_CONTROL_URL"):
        calls += ["AutoRefresh.AuthProvider.auth", "AutoRefresh.Orders.getOrdersStorageByMarker"]
    return calls


def script_environment(settings: Mapping[str, str]) -> dict[str, str]:
    """The inherited environment without any ONEENTRY_* a developer has set, plus `settings`."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("ONEENTRY_")}
    return {**inherited, **settings}


async def run_sdk_script(settings: Mapping[str, str], timeout_s: float) -> SdkRun:
    """Run run_sdk.mjs with the bot's ONEENTRY_* `settings`; kill it if it outlives `timeout_s`."""
    process = await asyncio.create_subprocess_exec(
        "node",
        str(SCRIPT),
        cwd=JS_DIR,
        env=script_environment(settings),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout_s)
    except TimeoutError:
        process.kill()
        stdout, stderr = await process.communicate()
        stderr += f"\n[killed after {timeout_s:.0f} s]".encode()
    calls, unparsed = _parse(stdout.decode())
    assert process.returncode is not None
    return SdkRun(process.returncode, calls, stderr.decode(errors="replace"), unparsed)
