"""Shop definitions: the bundled tea and market shops, the validator's messages, the command
line (`--shop`, its banner) and `bot_settings()`."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from sandbox.oneentry import (
    EmulatorState,
    RunningEmulator,
    SeedError,
    ShopDefinitionError,
    load_seed,
    load_shop,
    shop_names,
)
from sandbox.oneentry.seed import DEFAULT_SEED_PATH
from sandbox.oneentry.shop import SHOPS_DIR

PROJECT_ROOT = Path(__file__).resolve().parents[2]

MARKET_BOT_SETTINGS = {
    "ONEENTRY_AUTH_PROVIDER": "phone_auth",
    "ONEENTRY_LOGIN_MARKER": "login_phone",
    "ONEENTRY_PASSWORD_MARKER": "login_pin",
    "ONEENTRY_ORDER_STORAGE": "market_orders",
    "ONEENTRY_ORDER_FORM": "market_checkout",
    "ONEENTRY_NAME_FIELD": "customer_name",
    "ONEENTRY_PHONE_FIELD": "customer_phone",
    "ONEENTRY_EMAIL_FIELD": "customer_email",
    "ONEENTRY_PAYMENT_ACCOUNT": "paypal",
    "ONEENTRY_PAID_ORDER_STATUSES": "paid_for",
    "ONEENTRY_CANCELLED_ORDER_STATUSES": "cancelled_by_shop",
    "ONEENTRY_FINISHED_ORDER_STATUSES": "delivered",
    "ONEENTRY_PAID_SESSION_STATUSES": "succeeded",
    "ONEENTRY_FAILED_SESSION_STATUSES": "voided,timed_out",
    "ONEENTRY_PRICE_ATTRIBUTE": "product_price",
    "ONEENTRY_CURRENCY_ATTRIBUTE": "currency_code",
}


def test_the_bundled_shops() -> None:
    assert shop_names() == ["market", "tea"]
    assert load_shop().source == str(SHOPS_DIR / "tea.json")
    assert load_shop("market").name == "Market"


def test_the_tea_shop_has_what_the_bot_needs() -> None:
    shop = load_shop("tea")
    data = shop.data
    products = data["products"]
    assert len(products) >= 12
    assert all({"en_US", "ru_RU"} <= set(p["localizeInfos"]) for p in products)
    assert any(not p["isVisible"] for p in products)
    assert any(p["statusIdentifier"] == "out_of_stock" for p in products)
    storage = data["orderStorages"][0]
    assert storage["identifier"] == "guest_orders"
    assert storage["paymentAccountIdentifiers"] == ["cash", "stripe"]
    linked = set(storage["paymentAccountIdentifiers"])
    assert any(a["identifier"] not in linked for a in data["paymentAccounts"])
    assert [locale["code"] for locale in shop.active_locales] == ["en_US", "ru_RU"]
    assert shop.bot_settings == {}  # the bot's defaults fit the tea shop
    assert EmulatorState(shop).orders == {}  # the tea shop starts with no orders


def test_the_market_shop_differs_where_real_projects_can() -> None:
    shop = load_shop("market")
    data = shop.data
    assert shop.app_token == "market-app-token"
    assert [(lo["code"], lo["position"]) for lo in shop.active_locales] == [
        ("en_US", 1),
        ("ru_RU", 2),
    ]
    assert shop.bot_settings == MARKET_BOT_SETTINGS
    [provider] = data["authProviders"]
    assert (provider["identifier"], provider["loginMarker"], provider["passwordMarker"]) == (
        "phone_auth",
        "login_phone",
        "login_pin",
    )
    assert (shop.guest["login"], shop.guest["password"]) == ("bot-guest", "market-guest-pin")
    assert len(data["users"]) == 2
    [storage] = data["orderStorages"]
    assert (storage["identifier"], storage["formIdentifier"]) == (
        "market_orders",
        "market_checkout",
    )
    assert [s["identifier"] for s in storage["orderStatuses"]] == [
        "created",
        "paid_for",
        "packed",
        "delivered",
        "cancelled_by_shop",
    ]
    assert [s["identifier"] for s in storage["paymentStatuses"]] == [
        "inProgress-payment",
        "payment-done",
    ]
    assert [a["identifier"] for a in data["paymentAccounts"]] == ["paypal"]
    assert storage["paymentAccountIdentifiers"] == ["paypal"]

    assert len([p for p in data["products"] if p["isVisible"]]) >= 300  # productSeries
    visible = [p for p in data["products"] if p["isVisible"] and p["id"] < 100]
    assert len(visible) == 16
    priced = [p for p in visible if p["price"] is not None]
    by_attribute = [p for p in visible if p["price"] is None and "product_price" in p["attributes"]]
    unpriced = [p for p in visible if p["price"] is None and "product_price" not in p["attributes"]]
    assert (len(priced), len(by_attribute), len(unpriced)) == (8, 7, 1)
    assert all(
        p["attributes"]["currency_code"] == {"type": "string", "value": "eur"} for p in visible
    )
    assert {p["statusIdentifier"] for p in visible} == {"available", "sold_out"}
    no_russian = [p for p in visible if "ru_RU" not in p["localizeInfos"]]
    title_only = [
        p
        for p in visible
        if "title" in p["localizeInfos"].get("ru_RU", {})
        and "description" not in p["localizeInfos"]["ru_RU"]
    ]
    assert len(no_russian) >= 2
    assert len(title_only) == 1


def test_the_market_shop_has_a_history_of_orders() -> None:
    state = EmulatorState.from_shop("market")
    guest_id = state.shop.guest["id"]
    mine = [o for o in state.orders.values() if o.user_id == guest_id]
    assert len(mine) >= 20
    customers = {
        next(f["value"] for f in o.form_data if f["marker"] == "customer_name") for o in mine
    }
    phones = {
        next(f["value"] for f in o.form_data if f["marker"] == "customer_phone") for o in mine
    }
    assert len(customers) >= 5
    assert all(phone.startswith("+") and phone[1:].isdigit() for phone in phones)
    assert {o.status_identifier for o in mine} == {
        "created",
        "paid_for",
        "packed",
        "delivered",
        "cancelled_by_shop",
    }
    assert {o.payment_status_identifier for o in mine} == {"inProgress-payment", "payment-done"}
    langs = Counter(o.form_lang for o in mine)
    assert langs["en_US"] > langs["ru_RU"] >= 2
    null_types = [(o.id, f["marker"]) for o in mine for f in o.form_data if f["type"] is None]
    assert len(null_types) == 1
    ages_h = sorted(state.now() - _epoch(o.created_date) for o in mine)
    assert ages_h[0] < 3 * 3600  # some today (unless the emulator starts just after midnight)
    assert sum(age < 7 * 86400 for age in ages_h) >= 5
    assert 30 * 86400 < ages_h[-1] < 41 * 86400
    with_sessions = {o.id for o in mine} & {s.order_id for s in state.sessions.values()}
    statuses = {s.status for s in state.sessions.values()}
    assert len(with_sessions) >= 10
    assert {"succeeded", "pending", "voided", "timed_out"} <= statuses
    assert max(state.orders) < 1001 and max(state.sessions) < state.next_session_id()
    assert state.next_order_id() == 1001


def _epoch(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def test_a_bad_definition_names_every_problem(tmp_path: Path) -> None:
    data = load_shop("market").fresh_copy()
    data["products"][0]["price"] = "cheap"
    data["products"][1]["attributes"]["product_price"]["value"] = "12,50"
    data["products"][2]["localizeInfos"]["ru_Ru"] = {"title": "typo"}
    data["orderStorages"][0]["paymentAccountIdentifiers"].append("bitcoin")
    data["behaviours"]["orderListOrder"] = "random"
    data["behaviours"]["paymentLinkDelay"] = 2
    data["behaviours"]["sessionStatuses"]["paid"] = "pending"
    data["botSettings"]["ONEENTRY_APP_TOKEN"] = "x"
    data["pastOrders"][0]["products"][0]["productId"] = 999
    data["pastOrders"][1]["statusIdentifier"] = "lost"
    data["pastOrders"][2]["formLang"] = "de_DE"
    data["users"][0]["userGroupIdentifier"] = "admins"
    data["locales"].append({"id": 9, "code": "german", "name": "German", "nativeName": "Deutsch"})
    data["colour"] = "blue"
    data["productAttributes"] = [{"marker": "stock", "type": "integer", "from": "warehouse"}]
    bad = tmp_path / "shop.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ShopDefinitionError) as caught:
        EmulatorState.from_shop(bad)
    message = str(caught.value)
    assert message.startswith(f"shop definition {bad} is invalid:\n  - ")
    for problem in (
        '"colour" is not a part of a shop definition',
        "locales[2].code must look like en_US",
        "users[0].userGroupIdentifier 'admins' is not one of the userGroups",
        "productAttributes[0].from must be one of price, currency",
        "products[0].price must be a number or null",
        "products[1].attributes.product_price.value must be a number or null (type float)",
        "products[2].localizeInfos has 'ru_Ru', which is not one of the locales",
        "orderStorages[0] links unknown payment account 'bitcoin'",
        "pastOrders[0].products[0].productId is not a product",
        "pastOrders[1].statusIdentifier 'lost' is not a status of its storage",
        "pastOrders[2].formLang must be one of the locales",
        "behaviours.orderListOrder must be one of newest_first, oldest_first",
        "behaviours.paymentLinkDelay is not a behaviour switch",
        "behaviours.sessionStatuses: the roles need different status names",
        "botSettings.ONEENTRY_APP_TOKEN is printed by the emulator itself; leave it out",
    ):
        assert f"  - {problem}\n" in message + "\n", problem
    assert SeedError is ShopDefinitionError  # the old name still catches it


def test_a_missing_or_broken_definition_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(ShopDefinitionError, match="not valid JSON"):
        load_shop(broken)
    with pytest.raises(ShopDefinitionError, match="cannot read shop definition"):
        load_shop(tmp_path / "absent.json")
    with pytest.raises(
        ShopDefinitionError, match=r"no bundled shop named 'bakery' \(bundled: market, tea\)"
    ):
        load_shop("bakery")


def test_the_old_seed_names_still_play_the_tea_shop() -> None:
    assert DEFAULT_SEED_PATH == SHOPS_DIR / "tea.json"
    assert load_seed().data == load_shop("tea").data
    assert EmulatorState.from_seed().app_token == "sandbox-app-token"
    assert EmulatorState.from_seed(SHOPS_DIR / "market.json").app_token == "market-app-token"


async def test_bot_settings_of_a_served_shop(
    oneentry_emulator: RunningEmulator, market_emulator: RunningEmulator
) -> None:
    tea = oneentry_emulator.bot_settings()
    market = market_emulator.bot_settings()
    assert tea == {
        "ONEENTRY_PROJECT_URL": oneentry_emulator.url,
        "ONEENTRY_APP_TOKEN": "sandbox-app-token",
        "ONEENTRY_GUEST_LOGIN": "guest@shop.example",
        "ONEENTRY_GUEST_PASSWORD": "guest-password",
    }
    assert market == {
        "ONEENTRY_PROJECT_URL": market_emulator.url,
        "ONEENTRY_APP_TOKEN": "market-app-token",
        "ONEENTRY_GUEST_LOGIN": "bot-guest",
        "ONEENTRY_GUEST_PASSWORD": "market-guest-pin",
        **MARKET_BOT_SETTINGS,
    }
    assert market_emulator.state.bot_settings() == market  # the served URL is known


def _banner(*args: str) -> list[str]:
    """Start the command line, read its banner up to the closing comment, stop it."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox.oneentry", "--port", "0", *args],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines: list[str] = []
        while not lines or not lines[-1].startswith("#"):
            line = process.stdout.readline()
            assert line, f"the emulator exited: {process.stderr.read() if process.stderr else ''}"
            lines.append(line.strip())
    finally:
        process.terminate()
        process.wait(timeout=10)
    return lines


def test_cli_prints_env_lines_then_serves() -> None:
    lines = _banner("--access-token-ttl", "30")
    keys = [line.partition("=")[0] for line in lines[:-1]]
    assert keys == [
        "ONEENTRY_PROJECT_URL",
        "ONEENTRY_APP_TOKEN",
        "ONEENTRY_GUEST_LOGIN",
        "ONEENTRY_GUEST_PASSWORD",
    ]
    assert lines[0].startswith("ONEENTRY_PROJECT_URL=http://127.0.0.1:")
    assert not lines[0].endswith(":0")
    assert lines[1] == "ONEENTRY_APP_TOKEN=sandbox-app-token"
    assert lines[2] == "ONEENTRY_GUEST_LOGIN=guest@shop.example"
    assert "'Tea shop'" in lines[-1]


def test_cli_shop_market_prints_every_line_the_bot_needs() -> None:
    lines = _banner("--shop", "market")
    settings = dict(line.split("=", 1) for line in lines[:-1])
    assert list(settings)[:4] == [
        "ONEENTRY_PROJECT_URL",
        "ONEENTRY_APP_TOKEN",
        "ONEENTRY_GUEST_LOGIN",
        "ONEENTRY_GUEST_PASSWORD",
    ]
    assert settings["ONEENTRY_APP_TOKEN"] == "market-app-token"
    assert settings["ONEENTRY_GUEST_LOGIN"] == "bot-guest"
    assert settings["ONEENTRY_GUEST_PASSWORD"] == "market-guest-pin"
    assert {k: v for k, v in settings.items() if k in MARKET_BOT_SETTINGS} == MARKET_BOT_SETTINGS
    assert len(settings) == 4 + len(MARKET_BOT_SETTINGS)
    assert "'Market'" in lines[-1]


def test_cli_shop_takes_a_path_and_seed_is_its_alias(tmp_path: Path) -> None:
    data = load_shop("market").fresh_copy()
    data["project"]["appToken"] = "my-own-token"
    data["project"]["name"] = "My shop"
    mine = tmp_path / "mine.json"
    mine.write_text(json.dumps(data), encoding="utf-8")
    for option in ("--shop", "--seed"):
        lines = _banner(option, str(mine))
        assert "ONEENTRY_APP_TOKEN=my-own-token" in lines
        assert "'My shop'" in lines[-1]


def test_cli_refuses_a_bad_definition(tmp_path: Path) -> None:
    bad = tmp_path / "shop.json"
    bad.write_text("[]", encoding="utf-8")
    for args in (["--shop", str(bad)], ["--seed", str(bad)], ["--shop", "bakery"]):
        result = subprocess.run(
            [sys.executable, "-m", "sandbox.oneentry", "--port", "0", *args],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert result.returncode == 2, args
        assert "the top level must be a JSON object" in result.stderr or "bakery" in result.stderr
