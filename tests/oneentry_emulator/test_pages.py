"""Catalog pages (the Pages module) and the products of a page, as OneEntry answers them:
bare arrays for lists, one object by url or id, 404 for a page the project lacks, products
of a page paged like the whole catalog, and quick search naming each hit's page."""

from __future__ import annotations

import pytest

from sandbox.oneentry import RunningEmulator
from sandbox.oneentry.product_series import expand_series
from sandbox.oneentry.shop import load_shop
from sandbox.oneentry.shop_check import check_definition
from tests.oneentry_emulator.api import api_client, assert_error

PAGES = "/api/content/pages"
PRODUCTS = "/api/content/products"


async def test_the_market_catalog_is_nested_two_levels(market_emulator: RunningEmulator) -> None:
    async with api_client(market_emulator) as client:
        roots = (await client.get(f"{PAGES}/root", params={"langCode": "en_US"})).json()
        top = (await client.get(f"{PAGES}/catalog/children", params={"langCode": "ru_RU"})).json()
        grocery = (await client.get(f"{PAGES}/grocery/children")).json()
        every = (await client.get(PAGES, params={"langCode": "en_US"})).json()
        by_url = (await client.get(f"{PAGES}/url/spices", params={"langCode": "en_US"})).json()
        by_id = (await client.get(f"{PAGES}/112")).json()
        missing = await client.get(f"{PAGES}/url/no-such-page")
        missing_children = await client.get(f"{PAGES}/no-such-page/children")
    assert [(p["pageUrl"], p["parentId"], p["type"]) for p in roots] == [
        ("catalog", None, "catalog_page"),
        ("delivery", None, "common_page"),
    ]
    assert [(p["pageUrl"], p["localizeInfos"]["title"]) for p in top] == [
        ("grocery", "Бакалея"),
        ("drinks", "Напитки"),
        ("sweets", "Сладости"),
        ("gifts", "Подарки"),
    ]
    assert [p["pageUrl"] for p in grocery] == ["pantry", "spices"]
    assert len(every) == 10
    assert by_url["id"] == 112 and by_url["depth"] == 2
    assert by_url["categoryPath"] == "catalog/grocery/spices"
    assert by_url["products"] == 111 and by_url["childrenCount"] == "0"
    assert by_id["pageUrl"] == "spices"
    assert_error(missing, 404, "Page not found")
    assert_error(missing_children, 404, "Page not found")


async def test_a_page_lists_its_own_products_page_by_page(market_emulator: RunningEmulator) -> None:
    query = {"offset": 100, "limit": 8, "sortKey": "position", "sortOrder": "ASC"}
    async with api_client(market_emulator) as client:
        spices = (
            await client.post(f"{PRODUCTS}/page/url/spices", params=query, json={"filter": []})
        ).json()
        by_id = (await client.post(f"{PRODUCTS}/page/112", params=query, json=[])).json()
        grocery = (await client.post(f"{PRODUCTS}/page/url/grocery", json={"filter": []})).json()
        gifts = (
            await client.post(
                f"{PRODUCTS}/page/url/gifts", params={"limit": 100}, json={"filter": []}
            )
        ).json()
        missing = await client.post(f"{PRODUCTS}/page/url/nowhere", json={"filter": []})
    assert spices["total"] == 111  # sea salt (8), then the 110 spice blends (101-210)
    assert [p["id"] for p in spices["items"]] == list(range(200, 208))
    assert by_id == spices
    assert grocery == {"items": [], "total": 0}  # sub-pages' products are not the page's own
    gift_ids = {p["id"] for p in gifts["items"]}
    assert {5, 6, 16, 125, 510} <= gift_ids  # also in sweets or spices: in both places
    hamper = next(p for p in gifts["items"] if p["id"] == 5)
    assert hamper["categories"] == ["catalog/sweets", "catalog/gifts"]
    assert [page["pageId"] for page in hamper["productPages"]] == [130, 140]
    assert_error(missing, 404, "Page not found")


@pytest.mark.parametrize("oneentry_shop", ["tea", "market"])
async def test_quick_search_names_each_hits_page(oneentry_emulator: RunningEmulator) -> None:
    async with api_client(oneentry_emulator) as client:
        hits = (
            await client.get(
                f"{PRODUCTS}/quick/search", params={"name": "tea", "langCode": "en_US"}
            )
        ).json()
    assert hits and all(set(hit) == {"id", "title", "pageId"} for hit in hits)
    assert all("tea" in hit["title"].lower() for hit in hits)
    assert all(isinstance(hit["pageId"], int) for hit in hits)


def test_series_expand_the_same_every_time() -> None:
    first, again = load_shop("market").data, load_shop("market").data
    assert first["products"] == again["products"]
    assert len(first["products"]) >= 300
    spice = next(p for p in first["products"] if p["id"] == 115)
    assert spice["sku"] == "MKT-SPC-015" and spice["statusIdentifier"] == "sold_out"
    assert spice["localizeInfos"]["ru_RU"]["title"] == "Смесь специй № 15"
    assert spice["price"] == 1.5 + 0.25 * 2


def test_the_check_names_pages_that_do_not_fit() -> None:
    data = expand_series(load_shop("tea").data)
    data["pages"] = [
        *data["pages"],
        {"id": 10, "pageUrl": "a/b", "parentId": 999, "type": "blog", "localizeInfos": {}},
    ]
    data["products"][0]["categories"] = ["nowhere"]
    problems = check_definition(data)
    assert "pages[5].pageUrl must be a non-empty string without '/'" in problems
    assert "pages[5].parentId 999 is not another page's id" in problems
    assert any(problem.startswith("pages[5].type must be one of") for problem in problems)
    assert '"pages" has id 10 more than once' in problems
    assert "products[0].categories: 'nowhere' is not the pageUrl of a page" in problems


async def test_attribute_titles_come_from_the_products_attribute_set(
    market_emulator: RunningEmulator,
) -> None:
    async with api_client(market_emulator) as client:
        english = (
            await client.get(
                "/api/content/attributes-sets/products/attributes", params={"langCode": "en_US"}
            )
        ).json()
        russian = (
            await client.get(
                "/api/content/attributes-sets/products/attributes", params={"langCode": "ru_RU"}
            )
        ).json()
        product = (await client.get(f"{PRODUCTS}/1", params={"langCode": "en_US"})).json()
        missing = await client.get("/api/content/attributes-sets/nope/attributes")
    origin = next(a for a in english if a["marker"] == "origin_code")
    assert origin["localizeInfos"] == {"title": "Country of origin"}
    assert next(a for a in russian if a["marker"] == "origin_code")["localizeInfos"] == {}
    assert next(a for a in russian if a["marker"] == "net_weight_g")["localizeInfos"] == {
        "title": "Вес нетто, г"
    }
    assert [a["position"] for a in english] == sorted(a["position"] for a in english)
    assert product["attributeSetIdentifier"] == "products"
    assert product["attributeValues"]["origin_code"]["value"] == "IT"
    assert_error(missing, 404, "Attribute set not found")
