"""SHOP_TIMEZONE: the shop's day, not UTC's, for order dates, staff times and /stats' "today".

A Moscow shop's order placed at 00:30 local time (21:30 UTC the day before) must say it was
placed today, and "today" in /stats must begin at the shop's midnight."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from settings import SettingsError, load_settings
from shop.ledger_records import OrderItem, OrderRecord
from shop.staff_records import StatsPeriod
from ui.views.admin import when
from ui.views.orders import order_date

MOSCOW = ZoneInfo("Europe/Moscow")
# 00:30 on 30 November in Moscow (UTC+3), still 29 November in UTC.
LATE_EVENING_UTC = datetime(2026, 11, 29, 21, 30, tzinfo=UTC)
REQUIRED = {
    "telegram_bot_token": "123456:ABC-token",
    "oneentry_project_url": "https://shop.oneentry.cloud",
    "oneentry_app_token": "app-token",
    "oneentry_guest_login": "guest@shop.example",
    "oneentry_guest_password": "secret",
}


def placed_at(moment: datetime) -> OrderRecord:
    return OrderRecord(
        order_id=1001,
        storage="guest_orders",
        user_id=7,
        chat_id=7,
        checkout_id="a1b2c3d4e5f6",
        items=(OrderItem(1, 1, "Green tea"),),
        total=Decimal("12.50"),
        currency="USD",
        payment_account="cash",
        order_status="inProgress",
        created_at=moment,
    )


def test_the_customer_sees_the_shops_date() -> None:
    order = placed_at(LATE_EVENING_UTC)
    assert order_date(order, "en") == "Nov 29, 2026"  # the default, UTC
    assert order_date(order, "en", MOSCOW) == "Nov 30, 2026"
    assert order_date(order, "ru", MOSCOW) == "30 нояб. 2026\u202fг."


def test_staff_see_the_shops_time_with_its_zone() -> None:
    # the date as customers read it, then the time and the zone
    assert when(LATE_EVENING_UTC, "en") == "Nov 29, 2026, 9:30\u202fPM UTC"
    assert when(LATE_EVENING_UTC, "en", MOSCOW) == "Nov 30, 2026, 12:30\u202fAM MSK"
    assert when(LATE_EVENING_UTC, "ru", MOSCOW) == "30 нояб. 2026\u202fг., 00:30 MSK"


def test_today_begins_at_the_shops_midnight() -> None:
    since = StatsPeriod.TODAY.since(LATE_EVENING_UTC, MOSCOW)
    assert since == datetime(2026, 11, 30, tzinfo=MOSCOW)
    assert since.astimezone(UTC) == datetime(2026, 11, 29, 21, 0, tzinfo=UTC)
    assert StatsPeriod.TODAY.since(LATE_EVENING_UTC) == datetime(2026, 11, 29, tzinfo=UTC)


def test_the_setting_takes_an_iana_name_and_refuses_others() -> None:
    assert load_settings(env_file=None, **REQUIRED).shop_timezone == ZoneInfo("UTC")
    settings = load_settings(env_file=None, shop_timezone="Europe/Moscow", **REQUIRED)
    assert settings.shop_timezone == MOSCOW
    with pytest.raises(SettingsError, match=r"SHOP_TIMEZONE.*Europe/Moscow or UTC"):
        load_settings(env_file=None, shop_timezone="Moscow time", **REQUIRED)
