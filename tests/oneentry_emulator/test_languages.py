"""Languages: the active locales, and no language fallback anywhere (content missing in the
requested `langCode` comes back empty, never in another language), for both shops."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sandbox.oneentry import EmulatorState, RunningEmulator, load_shop, serve_emulator
from tests.oneentry_emulator.api import SESSIONS, SHOPS, api_client, shop_of

PRODUCTS = "/api/content/products"
NO_RUSSIAN = 10  # market: no ru_RU content at all
TITLE_ONLY = 11  # market: a ru_RU title, no ru_RU description


@pytest.mark.parametrize("oneentry_shop", SHOPS)
async def test_active_locales_are_served_as_the_reference_shows(
    oneentry_emulator: RunningEmulator,
) -> None:
    async with api_client(oneentry_emulator) as client:
        response = await client.get("/api/content/locales/active/all")
    locales = response.json()
    assert response.status_code == 200
    assert [(lo["code"], lo["position"]) for lo in locales] == [("en_US", 1), ("ru_RU", 2)]
    assert locales[0] == {
        "id": 1,
        "shortCode": "en",
        "code": "en_US",
        "name": "English",
        "nativeName": "English",
        "isActive": True,
        "image": None,
        "position": 1,
    }
    assert all(set(lo) == set(locales[0]) for lo in locales)


async def test_only_active_locales_are_served(tmp_path: Path) -> None:
    data = load_shop("tea").fresh_copy()
    data["locales"].append(
        {
            "id": 3,
            "code": "de_DE",
            "name": "German",
            "nativeName": "Deutsch",
            "isActive": False,
            "position": 0,
        }
    )
    path = tmp_path / "shop.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    state = EmulatorState.from_shop(path)
    async with serve_emulator(state) as emulator, api_client(emulator) as client:
        locales = (await client.get("/api/content/locales/active/all")).json()
    codes = [lo["code"] for lo in locales]
    assert codes == ["en_US", "ru_RU"]


async def test_market_products_without_russian_come_back_empty(
    market_emulator: RunningEmulator,
) -> None:
    async with api_client(market_emulator) as client:
        none_ru = (
            await client.get(f"{PRODUCTS}/{NO_RUSSIAN}", params={"langCode": "ru_RU"})
        ).json()
        none_en = (
            await client.get(f"{PRODUCTS}/{NO_RUSSIAN}", params={"langCode": "en_US"})
        ).json()
        title_ru = (
            await client.get(f"{PRODUCTS}/{TITLE_ONLY}", params={"langCode": "ru_RU"})
        ).json()
        listed = (
            await client.post(
                f"{PRODUCTS}/all",
                params={"langCode": "ru_RU", "limit": 100, "sortOrder": "ASC"},
                json={"filter": []},
            )
        ).json()
        search_ru = (
            await client.get(
                f"{PRODUCTS}/quick/search", params={"name": "Earl", "langCode": "ru_RU"}
            )
        ).json()
        search_en = (
            await client.get(
                f"{PRODUCTS}/quick/search", params={"name": "Earl", "langCode": "en_US"}
            )
        ).json()
        german = (await client.get(f"{PRODUCTS}/1", params={"langCode": "de_DE"})).json()
    assert none_ru["localizeInfos"] == {}
    assert none_ru["attributeValues"]["description"]["value"] == ""
    assert none_ru["statusLocalizeInfos"] == {"title": "В наличии"}  # the status has Russian
    assert none_en["localizeInfos"] == {"title": "Earl Grey loose tea, 200 g"}
    assert title_ru["localizeInfos"] == {"title": "Гранола с орехами, 400 г"}
    assert title_ru["attributeValues"]["description"]["value"] == ""
    empty = [p["id"] for p in listed["items"] if p["localizeInfos"] == {}]
    assert NO_RUSSIAN in empty and len(empty) >= 2
    assert search_ru == []
    assert [hit["id"] for hit in search_en] == [NO_RUSSIAN]
    assert german["localizeInfos"] == {} and german["statusLocalizeInfos"] == {}


def _without_russian(entry: dict[str, Any]) -> None:
    entry.get("localizeInfos", {}).pop("ru_RU", None)


@pytest.fixture
def tea_without_russian(tmp_path: Path) -> EmulatorState:
    """The tea shop with every ru_RU text removed: products, statuses, accounts, storage,
    order and payment statuses, forms and their fields, the auth provider."""
    data = load_shop("tea").fresh_copy()
    for key in ("products", "productStatuses", "paymentAccounts", "authProviders", "forms"):
        for entry in data[key]:
            _without_russian(entry)
            for attribute in entry.get("attributes", []) if key == "forms" else []:
                _without_russian(attribute)
    for storage in data["orderStorages"]:
        _without_russian(storage)
        for status in storage["orderStatuses"] + storage["paymentStatuses"]:
            _without_russian(status)
    path = tmp_path / "tea-en.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return EmulatorState.from_shop(path)


async def test_no_fallback_for_any_entity(tea_without_russian: EmulatorState) -> None:
    ru = {"langCode": "ru_RU"}
    async with serve_emulator(tea_without_russian) as emulator, api_client(emulator) as client:
        shop = shop_of(emulator)
        await shop.log_in_guest(client)
        order = await shop.create_order(client, paymentAccountIdentifier="stripe")
        await shop.create_session(client, order["id"])
        product = (await client.get(f"{PRODUCTS}/1", params=ru)).json()
        statuses = (await client.get("/api/content/product-statuses", params=ru)).json()
        raw_statuses = (await client.get("/api/content/product-statuses")).json()
        form = (await client.get(f"/api/content/forms/marker/{shop.form}", params=ru)).json()
        provider = (
            await client.get(f"/api/content/users-auth-providers/marker/{shop.provider}", params=ru)
        ).json()
        storage = (
            await client.get(f"/api/content/orders-storage/marker/{shop.storage}", params=ru)
        ).json()
        order_statuses = (
            await client.get(
                f"/api/content/orders-storage/marker/{shop.storage}/order-statuses", params=ru
            )
        ).json()
        accounts = (await client.get("/api/content/payments/accounts", params=ru)).json()
        read = (await client.get(f"{shop.orders}/{order['id']}", params=ru)).json()
        english = (
            await client.get(f"{shop.orders}/{order['id']}", params={"langCode": "en_US"})
        ).json()
        sessions = (await client.get(f"{SESSIONS}/order/{order['id']}")).json()
        page = await client.get(sessions[0]["paymentUrl"], params={"lang": "ru_RU"})
    assert product["localizeInfos"] == {} and product["statusLocalizeInfos"] == {}
    assert all(status["localizeInfos"] == {} for status in statuses)
    assert raw_statuses[0]["localizeInfos"] == {"en_US": {"title": "In stock"}}  # no langCode
    assert form["localizeInfos"] == {}
    assert all(attribute["localizeInfos"] == {} for attribute in form["attributes"])
    assert provider["localizeInfos"] == {}
    assert storage["localizeInfos"] == {}
    assert all(status["localizeInfos"] == {} for status in order_statuses)
    assert all(account["localizeInfos"] == {} for account in accounts)
    assert read["statusLocalizeInfos"] == {}
    assert read["paymentStatusLocalizeInfos"] == {}
    assert read["paymentAccountLocalizeInfos"] == {}
    assert [line["title"] for line in read["products"]] == ["", ""]
    assert english["statusLocalizeInfos"] == {"title": "In progress"}
    assert english["products"][0]["title"] == "Green tea Sencha"
    assert "Green tea Sencha" in page.text  # the payment page is for people: it falls back


async def test_a_request_without_lang_code_gets_the_default_language(
    market_emulator: RunningEmulator,
) -> None:
    async with api_client(market_emulator) as client:
        product = (await client.get(f"{PRODUCTS}/1")).json()
    assert product["localizeInfos"] == {"title": "Espresso beans, 1 kg"}
