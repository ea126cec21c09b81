"""`productSeries`: many products from one rule, so a definition can hold hundreds of products
and stay reviewable.

A series is `{firstId, count, sku, price, statusIdentifier, categories, imageColors,
attributes, localizeInfos}` plus optional `every` rules; product `n` (1 to `count`) gets id
`firstId + n - 1` (its position too), `{n}` in `sku` and in every text replaced by `n` (the
sku zero-padded to three digits), price `price.from + price.step * ((n - 1) % price.cycle)`,
the image colour `imageColors[(n - 1) % len]`, and for each `every` rule
`{"every": k, "statusIdentifier"?: s, "alsoIn"?: [urls]}` with `n % k == 0` that status and
those extra pages. The expansion is deterministic: the same file, the same products.
"""

from __future__ import annotations

from typing import Any


class SeriesError(ValueError):
    """A series that cannot be expanded (its shape is wrong)."""


def expand_series(data: dict[str, Any]) -> dict[str, Any]:
    """The definition with each `productSeries` entry turned into products after `products`."""
    series = data.get("productSeries")
    if series is None:
        return data
    if not isinstance(series, list) or not all(isinstance(s, dict) for s in series):
        raise SeriesError('"productSeries" must be a list of objects')
    products = list(data.get("products", []))
    for index, rule in enumerate(series):
        try:
            products.extend(_expand(rule))
        except (KeyError, TypeError, ValueError) as exc:
            raise SeriesError(f"productSeries[{index}] cannot be expanded: {exc!r}") from exc
    expanded = {key: value for key, value in data.items() if key != "productSeries"}
    expanded["products"] = products
    return expanded


def _expand(rule: dict[str, Any]) -> list[dict[str, Any]]:
    first_id, count = int(rule["firstId"]), int(rule["count"])
    price = rule.get("price")
    colors = rule.get("imageColors") or [""]
    products = []
    for n in range(1, count + 1):
        status = rule.get("statusIdentifier")
        categories = list(rule.get("categories", []))
        for every in rule.get("every", []):
            if n % int(every["every"]) == 0:
                status = every.get("statusIdentifier", status)
                categories += [url for url in every.get("alsoIn", []) if url not in categories]
        products.append(
            {
                "id": first_id + n - 1,
                "sku": str(rule["sku"]).replace("{n}", f"{n:03d}"),
                "price": _price(price, n),
                "statusIdentifier": status,
                "isVisible": True,
                "position": first_id + n - 1,
                "categories": categories,
                "imageColor": colors[(n - 1) % len(colors)],
                "attributes": rule.get("attributes", {}),
                "localizeInfos": {
                    lang: {key: str(text).replace("{n}", str(n)) for key, text in texts.items()}
                    for lang, texts in rule["localizeInfos"].items()
                },
            }
        )
    return products


def _price(price: Any, n: int) -> float | None:
    if price is None:
        return None
    cycle = max(int(price.get("cycle", 1)), 1)
    return round(float(price["from"]) + float(price.get("step", 0)) * ((n - 1) % cycle), 2)
