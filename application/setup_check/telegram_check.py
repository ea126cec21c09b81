"""Does Telegram accept the bot token? (`getMe`, which also gives the bot's @username.)"""

from __future__ import annotations

from telegram import Bot
from telegram.error import InvalidToken, TelegramError

from application.bot_api_request import AiohttpRequest
from application.setup_check.results import CheckResult
from settings import Settings

NAME = "Telegram bot token"


async def check_telegram(settings: Settings) -> CheckResult:
    # The transport the running bot uses, so a proxy or TLS problem shows up here too.
    timeout = settings.telegram_timeout
    bot = Bot(
        settings.telegram_bot_token.get_secret_value(),
        base_url=settings.telegram_base_url,
        base_file_url=settings.telegram_file_base_url,
        request=AiohttpRequest(connect_timeout=timeout, read_timeout=timeout),
        get_updates_request=AiohttpRequest(connection_pool_size=1),
    )
    try:
        async with bot:
            return CheckResult.ok(NAME, f"accepted: the bot is @{bot.username}")
    except InvalidToken:
        return CheckResult.fail(
            NAME,
            "Telegram refused the token",
            "Open @BotFather, send /mybots, pick the bot, 'API Token', and copy it whole "
            "into TELEGRAM_BOT_TOKEN.",
        )
    except TelegramError as exc:
        return CheckResult.fail(
            NAME,
            f"the Bot API at {settings.telegram_api_base_url} did not answer ({exc})",
            "Check the machine's internet access and TELEGRAM_API_BASE_URL "
            "(leave it empty for https://api.telegram.org).",
        )
