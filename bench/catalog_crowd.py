"""`python -m bench.catalog_crowd --customers 200 --latency-ms 150`: a crowd browsing the
market shop's 326-product catalog at once, and what it costs OneEntry.

Each customer opens the catalog, a category (Sweets: 101 products), pages on twice, opens a
product and searches by typing, all while OneEntry answers in `--latency-ms` per call and
well within one cache period (`--cache-seconds`). The figures: how many listings OneEntry
served per category page (`POST /products/page/url/{url}` per url, offset and language: at
most one per cache period is the target), the other calls by endpoint, and the seconds the
crowd took.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench import figures
from bench.checkout import Crowd
from bench.processes import StandIns, bot_process, stand_ins
from sandbox.telegram.driver import ChatMessage, Customer, TelegramFakeClient, Until

SHOP = "market"
CATEGORY = "📂 Sweets"
PRODUCT = "Chocolate bar No. 15"  # on the third page of Sweets
SEARCH = "Chocolate bar No. 7"


STEP_SECONDS = 60.0


async def browse(fake: TelegramFakeClient, user_id: int) -> None:
    """One customer: catalog, a category, two pages on, a product, a search."""
    customer = await fake.customer(user_id, f"Browser {user_id}", language_code="en")
    front = await customer.command("catalog", until=Until("Choose a category.", STEP_SECONDS))
    sweets = await _tap(customer, front, CATEGORY, Until("Sweets", STEP_SECONDS, "1/14"))
    second = await _tap(customer, sweets, "▶️", Until("Sweets", STEP_SECONDS, "2/14"))
    third = await _tap(customer, second, "▶️", Until("Sweets", STEP_SECONDS, "3/14"))
    button = next(label for label in third.labels if label.startswith(f"{PRODUCT} · "))
    await _tap(customer, third, button, Until(PRODUCT, STEP_SECONDS))
    await customer.send(SEARCH, until=Until("Found for", STEP_SECONDS))


async def _tap(customer: Customer, on: ChatMessage, label: str, until: Until) -> ChatMessage:
    shown = await customer.tap_on(on, label, until)
    assert isinstance(shown, ChatMessage)
    return shown


async def run(
    customers: int, latency_ms: float, cache_seconds: float, workdir: Path
) -> dict[str, Any]:
    async with stand_ins(workdir, SHOP) as stand:
        crowd = Crowd(stand)
        try:
            return await _measure(stand, crowd, customers, latency_ms, cache_seconds, workdir)
        finally:
            await crowd.aclose()


async def _measure(
    stand: StandIns,
    crowd: Crowd,
    customers: int,
    latency_ms: float,
    cache_seconds: float,
    workdir: Path,
) -> dict[str, Any]:
    data_dir = workdir / "bot-catalog"
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    settings = {"CATALOG_CACHE_SECONDS": str(cache_seconds)}
    async with bot_process(stand, data_dir, 256, data_dir / "trace.jsonl", settings):
        await crowd.bot_ready()
        await crowd.set_latency(latency_ms)
        await crowd.clear_oneentry_log()
        started = time.monotonic()
        outcomes = await asyncio.gather(
            *(browse(crowd.fake, user_id) for user_id in crowd.user_ids(customers)),
            return_exceptions=True,
        )
        seconds = time.monotonic() - started
        records = (await crowd.oneentry.get("/__sandbox__/requests")).json()
    failures = [f"{type(o).__name__}: {o}"[:300] for o in outcomes if isinstance(o, BaseException)]
    listings = Counter(
        (r["path"].rsplit("/", 1)[-1], r["query"].get("offset"), r["query"].get("langCode"))
        for r in records
        if r["endpoint"] == "products.by_page_url"
    )
    result: dict[str, Any] = {
        "customers": customers,
        "latency_ms": latency_ms,
        "cache_seconds": cache_seconds,
        "crowd_seconds": round(seconds, 2),
        "within_one_cache_period": seconds < cache_seconds,
        "category_screens_shown": (customers - len(failures)) * 4,
        "listings_per_category_page": {
            f"{url}@{offset}/{lang}": count
            for (url, offset, lang), count in sorted(listings.items())
        },
        "most_listings_of_one_category_page": max(listings.values(), default=0),
        "oneentry_calls_by_endpoint": dict(
            Counter(r["endpoint"] or r["path"] for r in records).most_common()
        ),
        "browsers_failed": len(failures),
    }
    if failures:
        result["first_failure"] = failures[0]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.catalog_crowd", description=__doc__)
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument("--latency-ms", type=float, default=150.0)
    parser.add_argument("--cache-seconds", type=float, default=60.0)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-catalog-") as workdir:
        result = asyncio.run(
            run(args.customers, args.latency_ms, args.cache_seconds, Path(workdir))
        )
    print(figures.render_table(result))
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return 0 if not result["browsers_failed"] else 1


if __name__ == "__main__":
    sys.exit(main())
