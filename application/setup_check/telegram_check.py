"""What Telegram says: does it accept the bot token (`getMe`, which also gives the bot's
@username), is the bot in the staff chat and may it post there (`getChat`, `getChatMember`;
a forum topic by a "typing…" there, the one thing Telegram lets a bot try without posting),
and can it write to each admin (an admin who never opened the bot has no chat with it)."""

from __future__ import annotations

from telegram import Bot, ChatFullInfo, ChatMemberAdministrator, ChatMemberRestricted
from telegram.constants import ChatAction, ChatMemberStatus, ChatType
from telegram.error import BadRequest, Forbidden, InvalidToken, TelegramError

from application.bot_api_request import AiohttpRequest
from application.setup_check.local_checks import check_admins
from application.setup_check.results import CheckResult
from settings import Settings

NAME = "Telegram bot token"
INLINE_MODE = "Inline mode"
STAFF_CHAT = "Staff chat"
ADMINS = "Staff (ADMIN_IDS)"

TURN_INLINE_ON = (
    "Open @BotFather, send /setinline, pick the bot and send a placeholder such as "
    "'Search products…'. Optionally /setinlinefeedback → Enabled, so the bot counts the "
    "cards people send."
)

ADD_THE_BOT = (
    "Add the bot to the staff group (group settings → Add members → the bot's @username), "
    "then set STAFF_CHAT_ID to the group's id (a negative number; -100… for a supergroup)."
)


async def check_telegram(settings: Settings) -> list[CheckResult]:
    """The token row, the inline mode row, the staff chat row and the admins row, in that
    order."""
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
            return [
                CheckResult.ok(NAME, f"accepted: the bot is @{bot.username}"),
                check_inline_mode(bot),
                await check_staff_chat(bot, settings),
                await check_admin_chats(bot, settings),
            ]
    except InvalidToken:
        token = CheckResult.fail(
            NAME,
            "Telegram refused the token",
            "Open @BotFather, send /mybots, pick the bot, 'API Token', and copy it whole "
            "into TELEGRAM_BOT_TOKEN.",
        )
    except TelegramError as exc:
        token = CheckResult.fail(
            NAME,
            f"the Bot API at {settings.telegram_api_base_url} did not answer ({exc})",
            "Check the machine's internet access and TELEGRAM_API_BASE_URL "
            "(leave it empty for https://api.telegram.org).",
        )
    because = "Telegram did not accept the bot token"
    staff = (
        CheckResult.skipped(STAFF_CHAT, because)
        if settings.staff_chat_id is not None
        else _no_staff_chat(settings)
    )
    admins = check_admins(settings)
    if settings.admin_ids:
        admins = CheckResult.skipped(ADMINS, because)
    return [token, CheckResult.skipped(INLINE_MODE, because), staff, admins]


def check_inline_mode(bot: Bot) -> CheckResult:
    """getMe's `supports_inline_queries`: whether `@bot <words>` works in other chats."""
    if bot.bot.supports_inline_queries:
        return CheckResult.ok(
            INLINE_MODE, f"on: '@{bot.username} <words>' shares products into any chat"
        )
    return CheckResult.warn(
        INLINE_MODE,
        f"off in BotFather: '@{bot.username} <words>' does nothing in other chats "
        "(deep links and everything else work)",
        TURN_INLINE_ON,
    )


def _no_staff_chat(settings: Settings) -> CheckResult:
    if settings.staff_thread_id is not None:
        return CheckResult.fail(
            STAFF_CHAT,
            "STAFF_THREAD_ID is set but STAFF_CHAT_ID is not",
            "Set STAFF_CHAT_ID to the staff group whose topic STAFF_THREAD_ID is, or empty "
            "STAFF_THREAD_ID.",
        )
    return CheckResult.ok(STAFF_CHAT, "not set: cards go to each admin's private chat")


async def check_staff_chat(bot: Bot, settings: Settings) -> CheckResult:
    """STAFF_CHAT_ID names a group the bot is in and may post in (in its topic, when
    STAFF_THREAD_ID is set)."""
    chat_id = settings.staff_chat_id
    if chat_id is None:
        return _no_staff_chat(settings)
    try:
        chat = await bot.get_chat(chat_id)
    except Forbidden as error:
        return CheckResult.fail(
            STAFF_CHAT, f"the bot was removed from chat {chat_id} ({error.message})", ADD_THE_BOT
        )
    except BadRequest:
        return CheckResult.fail(
            STAFF_CHAT,
            f"Telegram knows no chat {chat_id} for this bot: the bot is not in it, or the id "
            "is wrong",
            ADD_THE_BOT,
        )
    except TelegramError as error:
        return CheckResult.fail(
            STAFF_CHAT, f"Telegram did not say ({error.message})", "Try again in a minute."
        )
    if chat.type == ChatType.PRIVATE:
        return CheckResult.warn(
            STAFF_CHAT,
            f"{chat_id} is a private chat, not a group: every card goes to that one person",
            "Set STAFF_CHAT_ID to the staff group's id, or leave it empty to send each admin "
            "their own cards.",
        )
    title = f"'{chat.title or chat_id}'"
    refused = await _may_not_post(bot, chat)
    if refused:
        return CheckResult.fail(STAFF_CHAT, f"{title}: {refused}", _rights_fix(chat))
    detail = f"{title} ({chat.type}): the bot is in it and may post"
    if settings.staff_thread_id is None:
        return CheckResult.ok(STAFF_CHAT, detail)
    return await _check_topic(bot, chat, settings.staff_thread_id, detail)


async def _may_not_post(bot: Bot, chat: ChatFullInfo) -> str | None:
    """Why the bot may not post in `chat`, or None when it may."""
    try:
        member = await bot.get_chat_member(chat.id, bot.id)
    except TelegramError as error:
        return f"Telegram did not say whether the bot is a member ({error.message})"
    status = member.status
    if status in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
        return "the bot is not a member of it (it left or was removed)"
    if status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR):
        if chat.type == ChatType.CHANNEL and not (
            isinstance(member, ChatMemberAdministrator) and member.can_post_messages
        ):
            return "it is a channel and the bot may not post messages in it"
        return None
    if chat.type == ChatType.CHANNEL:
        return "it is a channel and the bot is not one of its admins"
    if isinstance(member, ChatMemberRestricted):
        return (
            None if member.can_send_messages else "the bot is restricted: it may not send messages"
        )
    if chat.permissions is not None and chat.permissions.can_send_messages is False:
        return "its members may not send messages, and the bot is not one of its admins"
    return None


def _rights_fix(chat: ChatFullInfo) -> str:
    if chat.type == ChatType.CHANNEL:
        return "Make the bot an admin of the channel with the right to post messages."
    return (
        "Add the bot to the group again if it was removed, and let it send messages "
        "(make it an admin, or allow members to send messages)."
    )


async def _check_topic(bot: Bot, chat: ChatFullInfo, topic: int, detail: str) -> CheckResult:
    if not chat.is_forum:
        return CheckResult.fail(
            STAFF_CHAT,
            f"'{chat.title}' has no topics (it is not a forum), so STAFF_THREAD_ID={topic} "
            "cannot be used",
            "Turn on Topics in the group's settings, or empty STAFF_THREAD_ID.",
        )
    try:
        await bot.send_chat_action(chat.id, ChatAction.TYPING, message_thread_id=topic)
    except BadRequest as error:
        return CheckResult.fail(
            STAFF_CHAT,
            f"'{chat.title}' has no topic {topic} the bot can post in ({error.message})",
            "Set STAFF_THREAD_ID to the topic's id: the number after the group's in a link to "
            "any message of the topic (t.me/c/<group>/<topic>/<message>).",
        )
    except TelegramError as error:
        return CheckResult.fail(
            STAFF_CHAT, f"Telegram did not say ({error.message})", "Try again in a minute."
        )
    return CheckResult.ok(STAFF_CHAT, f"{detail}, in topic {topic}")


async def check_admin_chats(bot: Bot, settings: Settings) -> CheckResult:
    """Each admin has opened the bot: the bot cannot start a chat with anyone."""
    if not settings.admin_ids:
        return check_admins(settings)
    unreached: list[int] = []
    for admin_id in sorted(settings.admin_ids):
        try:
            await bot.get_chat(admin_id)
        except BadRequest:
            unreached.append(admin_id)
        except TelegramError as error:
            return CheckResult.fail(
                ADMINS, f"Telegram did not say ({error.message})", "Try again in a minute."
            )
    count = len(settings.admin_ids)
    if unreached:
        ids = ", ".join(str(admin_id) for admin_id in unreached)
        where = (
            "they get no staff command menu"
            if settings.staff_chat_id is not None
            else "their cards about new and paid orders cannot be sent"
        )
        return CheckResult.warn(
            ADMINS,
            f"{len(unreached)} of {count} admin(s) never opened the bot ({ids}): the bot "
            f"cannot write to them, so {where}",
            "Each of them opens the bot in Telegram and taps Start (or sends /start); check "
            "the ids in ADMIN_IDS.",
        )
    chat = ", cards to the staff chat" if settings.staff_chat_id is not None else ""
    return CheckResult.ok(ADMINS, f"{count} admin(s), each has opened the bot{chat}")
