"""A small run of the load benchmark, so it keeps working as the bot grows.

It runs the real thing (the stand-ins and the bot as child processes) with a few customers and
asserts what a reader of the figures relies on, never how fast anything was.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import catalog_crowd
from bench.checkout import main

pytestmark = pytest.mark.timeout(120)


def test_a_small_run_reports_every_figure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "figures.json"
    # No pauses between taps: the smoke run checks the figures exist, not how people pace.
    argv = ["--customers", "3", "--latency-ms", "5", "--think-ms", "0", "--idle-customers", "5"]
    argv += ["--flash-sale", "3", "--arrival-seconds", "0.1"]
    assert main([*argv, "--json", str(report), "--workdir", str(tmp_path / "work")]) == 0

    figures = json.loads(report.read_text())
    assert figures["orders_completed"] == 3
    assert not any(key.endswith("journeys_failed") for key in figures)
    assert figures["1_orders_per_second"] > 0
    assert set(figures["1_confirm_to_pay_ms"]) == {"p50", "p95", "p99", "max"}
    assert figures["updates_traced"] == 3 * 9  # the trace saw every journey update
    per_order = figures["3_oneentry_calls_per_order"]
    assert per_order["orders.create"] == 1 and per_order["payments.create_session"] == 1
    assert figures["3_oneentry_calls_total"]["auth.login"] == 1
    assert figures["4_telegram_calls_per_order"]["answerCallbackQuery"] >= 1
    assert figures["5_bot_cpu_seconds_per_order"] > 0 and figures["5_bot_peak_memory_mb"] > 0
    assert figures["6_idle_customers"] == 5 and "6_memory_per_idle_customer_kb" in figures
    assert figures["7_ceiling_updates_per_second_measured"] > 0
    assert set(figures["7_ceiling_confirm_to_pay_ms"]) == {"p50", "p95", "p99", "max"}
    assert figures["8_ratio_p99_one_at_a_time_to_concurrent"] > 0
    sale = figures["0_flash_sale"]["3"]  # the bot as shipped, under Telegram's flood control
    assert sale["customers"] == 3 and sale["journeys_failed"] == 0
    assert sale["telegram_429s"] == 0
    assert sale["chat_bound_calls_per_order"] == 9
    assert set(sale["confirm_to_pay_ms"]) == {"p50", "p95", "p99", "max"}
    assert set(sale["step_wait_p99_ms"]) == {
        "start", "catalog", "product", "add_to_cart", "checkout", "name", "phone", "email",
        "confirm",
    }  # fmt: skip
    assert sale["ratio_to_physical_limit"] > 0 and sale["physical_limit_orders_per_second"] > 0
    assert "1_confirm_to_pay_ms.p99" in capsys.readouterr().out  # the table has the same keys


def test_the_journey_follows_the_market_shops_order_form(tmp_path: Path) -> None:
    """The market asks more than the tea shop (a masked phone, the delivery method and
    address, an optional date and comment), keeps its products a category or two down and has
    one payment method with a delayed link: the journey answers what it finds."""
    report = tmp_path / "figures.json"
    argv = ["--customers", "2", "--latency-ms", "5", "--think-ms", "0", "--idle-customers", "2"]
    argv += ["--flash-sale", "", "--sequential-customers", "0", "--shop", "market"]
    assert main([*argv, "--json", str(report), "--workdir", str(tmp_path / "work")]) == 0

    figures = json.loads(report.read_text())
    assert figures["shop"] == "market" and figures["orders_completed"] == 2
    assert not any(key.endswith("journeys_failed") for key in figures)
    # /start, Catalog, 2 category levels down to a product, the product, Add to cart,
    # /checkout, 7 fields (name, phone, email, delivery, address; date and comment skipped)
    # and Confirm: the trace saw every one.
    assert figures["updates_traced"] == 2 * (7 + 7 + 1)
    assert figures["3_oneentry_calls_per_order"]["orders.create"] == 1
    assert figures["6_idle_customers"] == 2


def test_a_small_catalog_crowd_costs_one_listing_per_category_page(tmp_path: Path) -> None:
    report = tmp_path / "catalog.json"
    argv = ["--customers", "4", "--latency-ms", "5", "--json", str(report)]
    assert catalog_crowd.main(argv) == 0
    figures = json.loads(report.read_text())
    assert figures["browsers_failed"] == 0 and figures["category_screens_shown"] == 16
    assert figures["most_listings_of_one_category_page"] == 1
    assert set(figures["listings_per_category_page"]) == {
        "catalog@0/en_US",
        "sweets@0/en_US",
        "sweets@8/en_US",
        "sweets@16/en_US",
    }
    assert figures["oneentry_calls_by_endpoint"]["pages.list"] == 1
