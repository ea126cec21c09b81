"""The bot's own lifecycle: who it is, how it gets updates (long polling or a webhook), and
logging out."""

from __future__ import annotations

from typing import Any

from sandbox.telegram.errors import BotApiError
from sandbox.telegram.methods.common import Answer
from sandbox.telegram.state import FakeState
from sandbox.telegram.webhook import WebhookConfig, check_url

WEBHOOK_ACTIVE = (
    "can't use getUpdates method while webhook is active; use deleteWebhook to delete the "
    "webhook first"
)


async def get_me(state: FakeState, params: dict[str, Any]) -> dict[str, Any]:
    return state.bot.me()


async def get_updates(state: FakeState, params: dict[str, Any]) -> list[dict[str, Any]]:
    if state.webhook.config is not None:
        raise BotApiError(409, WEBHOOK_ACTIVE)
    return await state.updates.poll(
        params.get("offset"),
        params.get("limit"),
        params.get("timeout"),
        params.get("allowed_updates"),
    )


async def set_webhook(state: FakeState, params: dict[str, Any]) -> Answer:
    url = params["url"]
    if params.get("allowed_updates") is not None:
        state.updates.allowed_updates = list(params["allowed_updates"])
    if params.get("drop_pending_updates"):
        state.updates.drop_all()
    if not url:
        return await delete_webhook(state, {})
    check_url(url)
    secret = params.get("secret_token")
    if secret is not None and len(secret) > 256:
        raise BotApiError(400, "secret token is too long")
    config = WebhookConfig(url, secret, params.get("max_connections") or 40)
    changed = await state.webhook.set(config)
    return Answer(True, "Webhook was set" if changed else "Webhook is already set")


async def delete_webhook(state: FakeState, params: dict[str, Any]) -> Answer:
    if params.get("drop_pending_updates"):
        state.updates.drop_all()
    was_set = await state.webhook.stop()
    return Answer(True, "Webhook was deleted" if was_set else "Webhook is already deleted")


async def get_webhook_info(state: FakeState, params: dict[str, Any]) -> dict[str, Any]:
    return state.webhook.info()


async def log_out(state: FakeState, params: dict[str, Any]) -> bool:
    state.logged_out = True
    return True


async def close(state: FakeState, params: dict[str, Any]) -> bool:
    return True
