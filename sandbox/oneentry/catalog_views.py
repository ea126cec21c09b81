"""JSON shapes of catalogue entities (products, product statuses, forms, auth providers, users)
as the raw API returns them: flat `localizeInfos` in the requested language (`{}` when the
entity has no content in it: no fallback), image values as a list of file objects,
`additionalFields` as a list, locales as §5.11 shows them."""

from __future__ import annotations

from typing import Any

from sandbox.oneentry.images import gallery_path, image_path, solid_png
from sandbox.oneentry.localize import pick
from sandbox.oneentry.page_tree import PageTree, product_in_page


def _attribute(kind: str, value: Any, position: int) -> dict[str, Any]:
    return {
        "type": kind,
        "value": value,
        "position": position,
        "isIcon": False,
        "isProductPreview": False,
        "additionalFields": [],
    }


def _file(link: str, png: bytes) -> dict[str, Any]:
    """A file object of an image value, as OneEntry's CDN describes it."""
    return {
        "filename": link.split("/cloud-static/", 1)[-1],
        "downloadLink": link,
        "previewLink": link,
        "size": len(png),
        "contentType": "image/png",
    }


def product_title(product: dict[str, Any], lang: str) -> str:
    """The product's title in `lang`, or "" when it has none there."""
    title: str = pick(product["localizeInfos"], lang).get("title", "")  # shop_check: a dict
    return title


def render_product(
    product: dict[str, Any],
    status: dict[str, Any] | None,
    lang: str,
    base_url: str,
    pages: PageTree,
) -> dict[str, Any]:
    """A product entity (`IProductsEntity`) in language `lang`.

    `attributeValues` holds the product's resolved `attributes` (`EmulatorState._resolved`:
    the shared ones, then its own; language-independent), then `description` (the
    language's, "" when it has none) and `img`, the generated picture.
    A null `price` stays null; `additional.prices` is then 0/0 (the SDK's schema needs numbers).
    `categories` and `productPages` name the pages it is in by their category paths.
    """
    info = pick(product["localizeInfos"], lang)
    png = solid_png(product.get("imageColor", ""))
    picture = {
        "filename": image_path(product["id"]).removeprefix("/cloud-static/"),
        "downloadLink": base_url + image_path(product["id"]),
        "previewLink": base_url + image_path(product["id"]),
        "size": len(png),
        "contentType": "image/png",
    }
    price = product["price"]
    attributes: dict[str, Any] = {
        marker: _attribute(attribute["type"], attribute.get("value"), position)
        for position, (marker, attribute) in enumerate(product.get("attributes", {}).items())
    }
    position = len(attributes)
    attributes["description"] = _attribute("string", info.get("description", ""), position)
    attributes["img"] = _attribute("image", [picture], position + 1)
    if product.get("gallery"):
        attributes["gallery"] = _attribute(
            "groupOfImages",
            [
                _file(base_url + gallery_path(product["id"], number), solid_png(color))
                for number, color in enumerate(product["gallery"], start=1)
            ],
            position + 2,
        )
    return {
        "id": product["id"],
        "attributeSetIdentifier": "products",
        "localizeInfos": {"title": info["title"]} if "title" in info else {},
        "statusIdentifier": status["identifier"] if status else None,
        "statusLocalizeInfos": pick(status["localizeInfos"], lang) if status else {},
        "isVisible": product.get("isVisible", True),
        "position": product.get("position", product["id"]),
        "templateIdentifier": None,
        "shortDescTemplateIdentifier": None,
        "price": price,
        "additional": {"prices": {"min": price or 0, "max": price or 0}},
        "sku": product.get("sku"),
        "isSync": True,
        "isPositionLocked": False,
        "categories": [pages.path_of_url(url) for url in product.get("categories", [])],
        "relatedIds": [],
        "paymentStages": None,
        "rating": {},
        "attributeValues": attributes,
        "productPages": product_pages(product, pages),
        "blocks": [],
        "moduleFormConfigs": [],
    }


def product_pages(product: dict[str, Any], pages: PageTree) -> list[dict[str, Any]]:
    """The product's places in the catalog: one per page it is on (a page the project does
    not have, as in a definition without `pages`, counts as page 1)."""
    placed = []
    for index, url in enumerate(product.get("categories", [])):
        page = pages.by_url(url)
        placed.append(
            {
                "id": product["id"] * 100 + index,
                "pageId": page["id"] if page else 1,
                "productId": product["id"],
                "positionId": product.get("position", product["id"]),
                "categoryPath": pages.path_of_url(url),
            }
        )
    return placed


def render_page(
    page: dict[str, Any], pages: PageTree, products: list[dict[str, Any]], lang: str
) -> dict[str, Any]:
    """A page entity (`IPagesEntity`) in language `lang`: `localizeInfos` `{}` without
    content there; `products` counts the page's own products, `childrenCount` (a string, as
    the docs show it) its visible sub-pages."""
    info = pick(page.get("localizeInfos", {}), lang)
    localize_infos = (
        {
            "title": info.get("title", ""),
            "menuTitle": info.get("menuTitle", info.get("title", "")),
            "htmlContent": "",
            "plainContent": "",
        }
        if info
        else {}
    )
    return {
        "id": page["id"],
        "config": {},
        "depth": pages.depth(page),
        "parentId": page.get("parentId"),
        "pageUrl": page["pageUrl"],
        "attributeSetIdentifier": None,
        "total": str(len(pages.children(page))),
        "localizeInfos": localize_infos,
        "isVisible": True,
        "products": sum(1 for product in products if product_in_page(product, page)),
        "childrenCount": str(len(pages.children(page))),
        "type": page.get("type", "common_page"),
        "position": page.get("position", page["id"]),
        "templateIdentifier": None,
        "isSync": True,
        "categoryPath": pages.category_path(page),
        "attributeValues": {},
    }


def render_set_attribute(attribute: dict[str, Any], lang: str) -> dict[str, Any]:
    """An attribute of an attribute set (`IAttributesSetsEntity`): its title in `lang`
    (`{}` without one there), no value (the products carry theirs)."""
    return {
        "type": attribute["type"],
        "marker": attribute["marker"],
        "position": attribute.get("position", 0),
        "initialValue": None,
        "listTitles": [],
        "validators": {},
        "localizeInfos": pick(attribute.get("localizeInfos", {}), lang),
        "additionalFields": {},
    }


def render_product_status(status: dict[str, Any], lang: str | None) -> dict[str, Any]:
    """A product status; without a language, the raw lang-keyed `localizeInfos` map."""
    return {
        "id": status["id"],
        "identifier": status["identifier"],
        "localizeInfos": pick(status["localizeInfos"], lang) if lang else status["localizeInfos"],
        "version": 0,
        "isDefault": status.get("isDefault", False),
        "position": status.get("position", status["id"]),
    }


def _render_validators(validators: dict[str, Any], lang: str) -> dict[str, Any]:
    """Validators as defined; a `customErrorText` given per language comes in `lang` only
    (empty when that language has none, like every other text)."""
    rendered: dict[str, Any] = {}
    for name, settings in validators.items():
        if isinstance(settings, dict) and isinstance(settings.get("customErrorText"), dict):
            texts = settings["customErrorText"]
            settings = {**settings, "customErrorText": texts.get(lang, "") if lang else ""}
        rendered[name] = settings
    return rendered


def _render_list_titles(titles: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """A list or radio field's choices, titled in `lang` (empty when it has no title there)."""
    return [
        {
            "title": pick(item.get("localizeInfos", {}), lang).get("title", ""),
            "value": item["value"],
            "position": item.get("position", index + 1),
            "extended": item.get("extended", {"value": None, "type": None}),
        }
        for index, item in enumerate(titles)
    ]


def _render_form_attribute(attribute: dict[str, Any], lang: str) -> dict[str, Any]:
    placeholder = pick(attribute.get("placeholder", {}), lang)
    return {
        "type": attribute["type"],
        "marker": attribute["marker"],
        "position": attribute.get("position", 0),
        "isVisible": attribute.get("isVisible", True),
        "settings": {},
        "listTitles": _render_list_titles(attribute.get("listTitles", []), lang),
        "initialValue": None,
        "localizeInfos": pick(attribute.get("localizeInfos", {}), lang),
        "validators": _render_validators(attribute.get("validators", {}), lang),
        "additionalFields": (
            [{"marker": "placeholder", "type": "string", "value": placeholder}]
            if isinstance(placeholder, str) and placeholder
            else []
        ),
        "isLogin": None,
        "isSignUp": None,
        "isPassword": False,
        "isSignUpRequired": False,
        "isNotificationEmail": None,
        "isNotificationPhonePush": None,
        "isNotificationPhoneSMS": None,
    }


def render_form(form: dict[str, Any], lang: str) -> dict[str, Any]:
    """A form entity with its attributes ordered by position."""
    attributes = sorted(form.get("attributes", []), key=lambda a: a.get("position", 0))
    info = pick(form.get("localizeInfos", {}), lang)
    localize_infos = (
        {
            "title": info.get("title", ""),
            "titleForSite": "",
            "successMessage": "",
            "unsuccessMessage": "",
            "urlAddress": "",
            "database": "0",
            "script": "0",
        }
        if info
        else {}
    )
    return {
        "id": form["id"],
        "attributeSetId": form.get("attributeSetId"),
        "type": form.get("type"),
        "identifier": form["identifier"],
        "processingType": form.get("processingType", "db"),
        "templateId": None,
        "version": 0,
        "position": form.get("position", 1),
        "localizeInfos": localize_infos,
        # The raw API answers {} for a form without fields, a list otherwise.
        "attributes": [_render_form_attribute(a, lang) for a in attributes] or {},
        "moduleFormConfigs": [],
    }


def render_auth_provider(
    provider: dict[str, Any], lang: str, access_token_ttl: float
) -> dict[str, Any]:
    return {
        "id": provider["id"],
        "identifier": provider["identifier"],
        "type": provider.get("type", "email"),
        "formIdentifier": provider.get("formIdentifier"),
        "userGroupIdentifier": provider.get("userGroupIdentifier", "users"),
        "isActive": True,
        "isCheckCode": False,
        "version": 0,
        "localizeInfos": pick(provider.get("localizeInfos", {}), lang),
        "config": {
            "accessTokenTtlSec": str(int(access_token_ttl)),
            "refreshTokenTtlMc": "2592000000",
            "deleteNoneActiveUsersAfterDays": "2",
            "systemCodeTlsSec": "120",
            "systemCodeLength": "8",
            "oauthAuthUrl": None,
            "systemCodeOnlyNumbers": None,
        },
    }


def render_locale(locale: dict[str, Any]) -> dict[str, Any]:
    """A locale of `GET /locales/active/all`, with exactly the keys §5.11 shows."""
    return {
        "id": locale["id"],
        "shortCode": locale.get("shortCode") or locale["code"].split("_")[0],
        "code": locale["code"],
        "name": locale["name"],
        "nativeName": locale["nativeName"],
        "isActive": locale.get("isActive", True),
        "image": locale.get("image"),
        "position": locale["position"],
    }


def render_user(
    user: dict[str, Any], provider: dict[str, Any], group: str | None
) -> dict[str, Any]:
    """The user entity of `/users/me`; never includes the password."""
    return {
        "id": user["id"],
        "identifier": user["login"],
        "authProviderIdentifier": user["authProvider"],
        "formIdentifier": provider.get("formIdentifier") or "reg",
        "formData": user.get("formData", []),
        "total": "0",
        "groups": [group] if group else [],
        "state": {},
        "moduleFormConfigs": [],
        "rating": {},
    }
