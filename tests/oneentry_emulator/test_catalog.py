"""Products, product statuses and forms: list shapes, paging, sorting, filters, languages."""

from __future__ import annotations

import httpx

from sandbox.oneentry import RunningEmulator
from tests.oneentry_emulator.api import api_client, assert_error

PRODUCTS = "/api/content/products"
HIDDEN_PRODUCT = 15


async def _list(client: httpx.AsyncClient, body: object = None, **query: object) -> dict:
    response = await client.post(
        f"{PRODUCTS}/all", params=query, json={"filter": []} if body is None else body
    )
    assert response.status_code in (200, 201), response.text
    return response.json()


async def test_product_list_pages_with_items_and_total(oneentry_emulator: RunningEmulator) -> None:
    async with api_client(oneentry_emulator) as client:
        first = await _list(client, offset=0, limit=5, sortKey="position", sortOrder="ASC")
        second = await _list(client, offset=5, limit=5, sortKey="position", sortOrder="ASC")
        everything = await _list(client, limit=100)
    assert set(first) == {"items", "total"}
    assert first["total"] == 14  # 15 seeded, one invisible
    assert [p["id"] for p in first["items"]] == [1, 2, 3, 4, 5]
    assert [p["id"] for p in second["items"]] == [6, 7, 8, 9, 10]
    assert HIDDEN_PRODUCT not in [p["id"] for p in everything["items"]]


async def test_product_list_sorts_by_price_and_title(oneentry_emulator: RunningEmulator) -> None:
    async with api_client(oneentry_emulator) as client:
        by_price = await _list(client, limit=100, sortKey="price", sortOrder="DESC")
        by_title = await _list(
            client, limit=100, sortKey="title", sortOrder="ASC", langCode="en_US"
        )
        bad = await client.post(
            f"{PRODUCTS}/all", params={"sortKey": "colour"}, json={"filter": []}
        )
    prices = [p["price"] for p in by_price["items"]]
    titles = [p["localizeInfos"]["title"].lower() for p in by_title["items"]]
    assert prices == sorted(prices, reverse=True)
    assert titles == sorted(titles)
    assert_error(bad, 400)


async def test_status_filter_by_query_and_by_body(oneentry_emulator: RunningEmulator) -> None:
    async with api_client(oneentry_emulator) as client:
        by_query = await _list(client, statusMarker="out_of_stock")
        by_body = await _list(client, body={"filter": [{"statusMarker": "sale"}]})
        bare_list = await _list(client, body=[{"statusMarker": "sale"}])  # pre-1.0.149 body
        cheap = await _list(
            client,
            body={
                "filter": [
                    {"attributeMarker": "price", "conditionMarker": "lth", "conditionValue": 7}
                ]
            },
        )
    assert sorted(p["id"] for p in by_query["items"]) == [5, 10]
    assert {p["statusIdentifier"] for p in by_body["items"]} == {"sale"}
    assert by_body["total"] == bare_list["total"] == 3
    assert all(p["price"] < 7 for p in cheap["items"]) and cheap["total"] > 0


async def test_product_in_russian_with_price_currency_and_image(
    oneentry_emulator: RunningEmulator,
) -> None:
    async with api_client(oneentry_emulator) as client:
        response = await client.get(f"{PRODUCTS}/1", params={"langCode": "ru_RU"})
        product = response.json()
        image = product["attributeValues"]["img"]["value"]
        picture = await client.get(image[0]["downloadLink"])
    assert product["localizeInfos"]["title"] == "Зелёный чай Сенча"
    assert product["statusLocalizeInfos"] == {"title": "В наличии"}
    assert product["price"] == 12.5
    assert product["attributeValues"]["currency_products"]["value"] == "usd"
    assert isinstance(image, list)  # the raw API's shape; the SDK unwraps it
    assert picture.status_code == 200
    assert picture.headers["content-type"] == "image/png"
    assert picture.content.startswith(b"\x89PNG")


async def test_invisible_or_unknown_product_is_not_found(
    oneentry_emulator: RunningEmulator,
) -> None:
    async with api_client(oneentry_emulator) as client:
        hidden = await client.get(f"{PRODUCTS}/{HIDDEN_PRODUCT}")
        unknown = await client.get(f"{PRODUCTS}/999")
        by_ids = await client.get(f"{PRODUCTS}/ids", params={"ids": f"3,{HIDDEN_PRODUCT},999,1"})
        search = await client.get(f"{PRODUCTS}/quick/search", params={"name": "sampler"})
    assert_error(hidden, 404)
    assert_error(unknown, 404)
    assert [p["id"] for p in by_ids.json()] == [3, 1]
    assert search.json() == []


async def test_quick_search_is_a_bare_array_by_title(oneentry_emulator: RunningEmulator) -> None:
    async with api_client(oneentry_emulator) as client:
        english = await client.get(
            f"{PRODUCTS}/quick/search", params={"name": "tea", "langCode": "en_US"}
        )
        russian = await client.get(
            f"{PRODUCTS}/quick/search", params={"name": "чай", "langCode": "ru_RU"}
        )
    assert english.json()
    assert set(english.json()[0]) == {"id", "title", "pageId"}
    assert all("tea" in hit["title"].lower() for hit in english.json())
    assert all("чай" in hit["title"].lower() for hit in russian.json())


async def test_product_statuses_are_a_bare_array_keyed_by_language(
    oneentry_emulator: RunningEmulator,
) -> None:
    async with api_client(oneentry_emulator) as client:
        statuses = (await client.get("/api/content/product-statuses")).json()
    assert [s["identifier"] for s in statuses] == ["in_stock", "out_of_stock", "sale"]
    assert statuses[0]["localizeInfos"]["ru_RU"] == {"title": "В наличии"}


async def test_forms_list_and_the_guest_order_form(oneentry_emulator: RunningEmulator) -> None:
    async with api_client(oneentry_emulator) as client:
        listing = await client.get(
            "/api/content/forms", params={"langCode": "en_US", "offset": 0, "limit": 30}
        )
        form = (await client.get("/api/content/forms/marker/guest_order")).json()
        missing = await client.get("/api/content/forms/marker/nope")
    assert set(listing.json()) == {"items", "total"}
    assert form["type"] == "order"
    assert [a["marker"] for a in form["attributes"]] == ["guest_name", "guest_phone", "guest_email"]
    assert all("requiredValidator" in a["validators"] for a in form["attributes"])
    assert form["attributes"][2]["validators"]["emailInspectionValidator"]
    assert_error(missing, 404)


async def test_tea_attributes_mirror_the_price_and_the_currency(
    oneentry_emulator: RunningEmulator,
) -> None:
    """The tea shop's `price` attribute follows `price` (a shared attribute `from: price`), in
    the positions the emulator has always used."""
    async with api_client(oneentry_emulator) as client:
        # chamomile: no attributes of its own (Sencha's weight and harvest come after these)
        before = (await client.get(f"{PRODUCTS}/6")).json()["attributeValues"]
        oneentry_emulator.state.data["products"][5]["price"] = None
        after = (await client.get(f"{PRODUCTS}/6")).json()
    assert [(marker, value["position"]) for marker, value in before.items()] == [
        ("price", 0),
        ("currency_products", 1),
        ("description", 2),
        ("img", 3),
    ]
    assert (before["price"]["value"], before["currency_products"]["value"]) == (7.4, "usd")
    assert after["price"] is None
    assert after["attributeValues"]["price"]["value"] is None
