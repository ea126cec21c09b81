"""Fixtures the end-to-end checkout tests share."""

from __future__ import annotations

import pytest

from sandbox.telegram.driver import Customer
from tests.e2e.journeys import add_product
from tests.fixtures.telegram import RunningBot, TelegramFake


@pytest.fixture
async def alice(shop_bot: RunningBot, telegram_fake: TelegramFake) -> Customer:
    """A customer with two Green teas in her cart, about to check out."""
    customer = await telegram_fake.client.customer(user_id=2001, first_name="Alice")
    await add_product(shop_bot, customer, 1, times=2)
    return customer
