"""The bot's settings, read once at start-up from the environment and `.env`.

Every other module receives the values it needs from here; none reads the environment itself.
A missing or malformed setting stops start-up with one message that names every problem and
says how to fix it (`load_settings` raises `SettingsError`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AnyHttpUrl,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]

_WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class Settings(BaseSettings):
    """All settings, one field per environment variable of the same name (upper-cased)."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        hide_input_in_errors=True,
        env_ignore_empty=True,
    )

    # Telegram
    telegram_bot_token: SecretStr = Field(
        description="The bot's token from @BotFather, like 123456:ABC-DEF...",
    )
    telegram_api_base_url: AnyHttpUrl = Field(
        default=AnyHttpUrl("https://api.telegram.org"),
        description="Bot API server; the bot appends /bot and /file/bot itself.",
    )
    telegram_timeout: float = Field(
        default=10.0, gt=0, description="Seconds to wait for a Bot API answer."
    )

    telegram_rate_limit: float = Field(
        default=30.0,
        ge=0,
        description="Messages per second the bot sends at most (Telegram refuses more than "
        "about 30), the most needed first; 0 turns the overall limit off.",
    )

    # OneEntry project and the shared guest user
    oneentry_project_url: AnyHttpUrl = Field(
        description="Your project's URL, like https://my-shop.oneentry.cloud",
    )
    oneentry_app_token: SecretStr = Field(
        description="The App Token from the OneEntry admin panel (Settings → App tokens).",
    )
    oneentry_auth_provider: str = Field(
        default="email", min_length=1, description="Marker of the auth provider the guest uses."
    )
    oneentry_guest_login: str = Field(
        min_length=1, description="Login (email) of the shared guest user that places orders."
    )
    oneentry_guest_password: SecretStr = Field(description="Password of the guest user.")
    oneentry_login_marker: str = Field(
        default="email_reg", min_length=1, description="Marker of the login field of the provider."
    )
    oneentry_password_marker: str = Field(
        default="password_reg",
        min_length=1,
        description="Marker of the password field of the provider.",
    )
    oneentry_lang: str = Field(
        default="en_US",
        pattern=r"^[a-z]{2}_[A-Z]{2}$",
        description="Content language code, like en_US or ru_RU.",
    )
    oneentry_lang_ru: str = Field(
        default="ru_RU",
        pattern=r"^[a-z]{2}_[A-Z]{2}$",
        description="Content language code used for customers who speak Russian.",
    )
    oneentry_order_storage: str = Field(
        default="guest_orders", min_length=1, description="Marker of the order storage."
    )
    oneentry_order_form: str = Field(
        default="guest_order", min_length=1, description="Marker of the storage's order form."
    )
    oneentry_name_field: str = Field(
        default="guest_name", min_length=1, description="Form field marker for the name."
    )
    oneentry_phone_field: str = Field(
        default="guest_phone", min_length=1, description="Form field marker for the phone."
    )
    oneentry_email_field: str = Field(
        default="guest_email", min_length=1, description="Form field marker for the email."
    )
    oneentry_payment_account: str = Field(
        default="cash",
        min_length=1,
        description="Payment account used when the storage offers only one.",
    )
    oneentry_offline_payment_accounts: Annotated[frozenset[str], NoDecode] = Field(
        default=frozenset({"cash"}),
        description="Payment accounts paid on delivery (no payment page), comma-separated; "
        "for the others the customer is told a payment link is on its way until it appears.",
    )
    # What the shop's own status markers mean (OneEntry projects name their statuses
    # themselves); `bot.py check` compares them with the storage's statuses.
    oneentry_paid_order_statuses: Annotated[frozenset[str], NoDecode] = Field(
        default=frozenset({"paid_for"}),
        description="Order statuses that mean the order is paid (e.g. staff recorded a cash "
        "payment), comma-separated.",
    )
    oneentry_cancelled_order_statuses: Annotated[frozenset[str], NoDecode] = Field(
        default=frozenset({"cancelled"}),
        description="Order statuses that mean the order is cancelled, comma-separated.",
    )
    oneentry_finished_order_statuses: Annotated[frozenset[str], NoDecode] = Field(
        default=frozenset({"completed"}),
        description="Order statuses that mean the order is done (no longer followed), "
        "besides the cancelled ones; comma-separated.",
    )
    oneentry_paid_session_statuses: Annotated[frozenset[str], NoDecode] = Field(
        default=frozenset({"paid", "completed"}),
        description="Payment-session statuses that mean the payment went through.",
    )
    oneentry_failed_session_statuses: Annotated[frozenset[str], NoDecode] = Field(
        default=frozenset({"expired", "failed", "canceled", "cancelled"}),
        description="Payment-session statuses that mean the session can no longer be paid "
        "(a new one is opened).",
    )
    oneentry_price_attribute: str = Field(
        default="price",
        min_length=1,
        description="Marker of the product attribute holding the price, read when OneEntry's "
        "own `price` is empty.",
    )
    oneentry_currency_attribute: str = Field(
        default="currency_products",
        min_length=1,
        description="Marker of the product attribute holding the currency code.",
    )
    oneentry_connect_timeout: float = Field(
        default=5.0, gt=0, description="Seconds to wait for a connection to OneEntry."
    )
    oneentry_timeout: float = Field(
        default=15.0, gt=0, description="Seconds to wait for a OneEntry answer."
    )

    # Catalog and checkout
    catalog_cache_seconds: float = Field(
        default=60.0,
        ge=0,
        description="How long a catalog listing is reused before OneEntry is asked again.",
    )
    catalog_product_ids: Annotated[tuple[int, ...], NoDecode] = Field(
        default=(),
        description="Only these product ids are sold (comma-separated); empty: every visible one.",
    )
    catalog_page_size: int = Field(default=8, ge=1, le=20, description="Products per catalog page.")
    catalog_card_attributes: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(),
        description=(
            "Markers of the product attributes a product card shows, in this order "
            "(comma-separated), each under its title in OneEntry; empty: none."
        ),
    )
    catalog_page_url: str = Field(
        default="catalog",
        description=(
            "The OneEntry catalog page (its URL) whose sub-pages are the categories; "
            "empty or absent in OneEntry: one list of every product."
        ),
    )
    unavailable_statuses: Annotated[frozenset[str], NoDecode] = Field(
        default=frozenset({"out_of_stock", "sold", "sold_out", "unavailable"}),
        description="Product status markers that mean a product cannot be ordered.",
    )
    default_phone_region: str = Field(
        default="RU",
        pattern=r"^[A-Za-z]{2}$",
        description="Region for phone numbers typed without a country code (ISO code, e.g. US).",
    )
    shop_timezone: ZoneInfo = Field(
        default=ZoneInfo("UTC"),
        description="The shop's time zone (IANA name, e.g. Europe/Moscow): order dates, staff "
        "times and /stats' 'today'.",
    )
    checkout_timeout_minutes: float = Field(
        default=30.0,
        gt=0,
        description="An idle checkout ends after this many minutes (the cart is kept).",
    )

    # Payment follow-up
    follow_up_first_seconds: float = Field(
        default=5.0,
        ge=0,
        description="Seconds before an order's payment and status are first looked at again; "
        "the delay doubles after each look that finds no change.",
    )
    follow_up_max_seconds: float = Field(
        default=300.0,
        ge=0,
        description="The longest delay between two looks at an open order.",
    )
    follow_up_max_age_hours: float = Field(
        default=72.0,
        gt=0,
        description="Orders older than this are no longer followed.",
    )

    # Staff
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(),
        description="Telegram user ids of the shop's staff, comma-separated.",
    )
    staff_chat_id: int | None = Field(
        default=None, description="Optional group chat id where staff notifications go."
    )
    staff_thread_id: int | None = Field(
        default=None,
        ge=1,
        description="Optional forum topic of the staff chat (its message_thread_id) the cards "
        "go to; empty: the chat itself (a forum's General topic).",
    )
    staff_language: Literal["en", "ru"] | None = Field(
        default=None,
        description="Language of the cards in the staff chat, en or ru; empty: the first "
        "admin's (as they chose with /language, else their Telegram app's).",
    )

    # Runtime
    data_dir: Path = Field(default=Path("./data"), description="Where the bot keeps its data.")
    database_url: SecretStr | None = Field(
        default=None,
        repr=False,
        description="Where the ledger and the customers' carts and checkouts are kept: empty, "
        "SQLite files in DATA_DIR; a postgresql:// URL, that PostgreSQL database (a standby "
        "process can then take over).",
    )
    log_level: LogLevel = Field(default="INFO", description="DEBUG, INFO, WARNING or ERROR.")
    update_concurrency: int = Field(
        default=2048,
        ge=1,
        description="Updates of different chats handled at once (one chat's always in order): "
        "at least the customers you expect at the same moment, since a crowd's updates wait "
        "here in arrival order while the rate limiter would let the most needed go first; "
        "1: one at a time, python-telegram-bot's default.",
    )
    bench_trace_file: Path | None = Field(
        default=None,
        description="Benchmark only: append one line per handled update (timings, no content) "
        "to this file; empty: off.",
    )

    # Health and metrics (application/health.py)
    health_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        description="Long polling: the port that answers /healthz, /readyz and /metrics; "
        "empty: none (the container image sets 8080). In webhook mode they are on the "
        "webhook server's port instead.",
    )
    health_listen: str = Field(
        default="127.0.0.1",
        min_length=1,
        description="Address the health port binds to (0.0.0.0 in a container).",
    )
    metrics_enabled: bool = Field(
        default=True,
        description="Serve Prometheus metrics at /metrics beside /healthz and /readyz; "
        "false: not served.",
    )

    # Webhook mode (long polling when WEBHOOK_URL is empty)
    webhook_url: AnyHttpUrl | None = Field(
        default=None,
        description="Public https URL Telegram posts updates to, like "
        "https://bot.my-shop.example/telegram; empty: long polling.",
    )
    webhook_secret: SecretStr | None = Field(
        default=None,
        validate_default=True,
        repr=False,
        description="Secret Telegram sends with every update (1-256 of A-Z a-z 0-9 _ -); "
        "required with WEBHOOK_URL.",
    )
    webhook_listen: str = Field(
        default="0.0.0.0", min_length=1, description="Address the webhook server binds to."
    )
    webhook_port: int = Field(
        default=8443, ge=1, le=65535, description="Port the webhook server listens on."
    )
    webhook_path: str = Field(
        default="",
        description="Path the webhook server answers on; empty: the path of WEBHOOK_URL.",
    )

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(_numbers(value, "a numeric Telegram user id (not a @username)"))
        return value

    @field_validator("catalog_product_ids", mode="before")
    @classmethod
    def _split_product_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(_numbers(value, "a OneEntry product id (a number)"))
        return value

    @field_validator("catalog_card_attributes", mode="before")
    @classmethod
    def _split_markers(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(dict.fromkeys(_comma_separated(value)))
        return value

    @field_validator("staff_language", mode="before")
    @classmethod
    def _lower_language(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator(
        "unavailable_statuses",
        "oneentry_offline_payment_accounts",
        "oneentry_paid_order_statuses",
        "oneentry_cancelled_order_statuses",
        "oneentry_finished_order_statuses",
        "oneentry_paid_session_statuses",
        "oneentry_failed_session_statuses",
        mode="before",
    )
    @classmethod
    def _split_statuses(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(_comma_separated(value))
        return value

    @field_validator("default_phone_region")
    @classmethod
    def _upper_region(cls, value: str) -> str:
        return value.upper()

    @field_validator("shop_timezone", mode="before")
    @classmethod
    def _load_timezone(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return ZoneInfo(value.strip() or "UTC")
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(
                    f"unknown time zone {value!r}: use an IANA name such as Europe/Moscow or UTC"
                ) from None
        return value

    @field_validator("telegram_bot_token")
    @classmethod
    def _check_token_shape(cls, value: SecretStr) -> SecretStr:
        bot_id, _, secret = value.get_secret_value().partition(":")
        if not (bot_id.isdigit() and secret):
            raise ValueError("must look like 123456:ABC-DEF... (as @BotFather gives it)")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _check_webhook_secret(cls, value: SecretStr | None, info: ValidationInfo) -> object:
        if value is None:
            if info.data.get("webhook_url") is not None:
                raise ValueError("is required when WEBHOOK_URL is set")
            return value
        if not _WEBHOOK_SECRET.match(value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        url = value.get_secret_value().strip()
        if not url.startswith(("postgresql://", "postgres://")):
            raise ValueError("must be empty (SQLite in DATA_DIR) or a postgresql:// URL")
        return SecretStr(url)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @property
    def telegram_base_url(self) -> str:
        """The `base_url` python-telegram-bot wants: the server with `/bot` appended."""
        return f"{str(self.telegram_api_base_url).rstrip('/')}/bot"

    @property
    def telegram_file_base_url(self) -> str:
        return f"{str(self.telegram_api_base_url).rstrip('/')}/file/bot"

    @property
    def oneentry_base_url(self) -> str:
        return str(self.oneentry_project_url).rstrip("/")

    @property
    def database_url_value(self) -> str | None:
        """DATABASE_URL itself, None for the default (SQLite in DATA_DIR)."""
        return self.database_url.get_secret_value() if self.database_url else None

    @property
    def webhook_listen_path(self) -> str:
        """The path the webhook server answers on, without the leading slash."""
        if self.webhook_path:
            return self.webhook_path.strip("/")
        return (self.webhook_url.path or "").strip("/") if self.webhook_url else ""


def _comma_separated(value: str) -> list[str]:
    return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]


def _numbers(value: str, what: str) -> list[int]:
    """Comma-separated whole numbers; the first part that is not one is named."""
    numbers = []
    for part in _comma_separated(value):
        if not part.lstrip("-").isascii() or not part.lstrip("-").isdigit():
            raise ValueError(f"{part!r} is not {what}")
        numbers.append(int(part))
    return numbers


# A right value for each setting whose default does not show one.
EXAMPLES: dict[str, str] = {
    "telegram_bot_token": "123456789:AAE-the-rest-of-the-token-from-BotFather",
    "oneentry_project_url": "https://my-shop.oneentry.cloud",
    "oneentry_guest_login": "guest@my-shop.example",
    "oneentry_lang": "en_US",
    "oneentry_lang_ru": "ru_RU",
    "catalog_product_ids": "12,15,31",
    "default_phone_region": "GB",
    "shop_timezone": "Europe/Moscow",
    "admin_ids": "123456789,987654321",
    "staff_chat_id": "-1001234567890",
    "staff_thread_id": "42",
    "staff_language": "ru",
    "log_level": "INFO",
    "webhook_url": "https://bot.my-shop.example/telegram",
    "webhook_secret": "a-long-random-string_of-letters-digits",
    "webhook_listen": "127.0.0.1",
    "webhook_port": "8443",
    "webhook_path": "/telegram",
    "data_dir": "/srv/shop-bot/data",
    "health_port": "8080",
    "health_listen": "0.0.0.0",
    "database_url": "postgresql://shop_bot:PASSWORD@db.internal:5432/shop_bot",
    "bench_trace_file": "/tmp/bench-trace.log",
}


# Where to find a secret, instead of an example of one.
HINTS: dict[str, str] = {
    "oneentry_app_token": "Copy it from the OneEntry admin panel: Settings → App tokens.",
    "oneentry_guest_password": "The password of the guest user you created in OneEntry.",
}

# What a value written the wrong way should look like.
SHAPES: dict[str, str] = {
    "oneentry_lang": "a language code with its country, like en_US",
    "oneentry_lang_ru": "a language code with its country, like ru_RU",
    "default_phone_region": "a two-letter country code, like GB",
}


class SettingsError(Exception):
    """Start-up cannot go on: the message lists every bad setting and how to fix it.
    `problems` holds one line per setting; `missing_env_file` is the `.env` looked for and not
    found, if any."""

    def __init__(self, message: str, problems: list[str], missing_env_file: Path | None) -> None:
        super().__init__(message)
        self.problems = problems
        self.missing_env_file = missing_env_file


def missing_env_file(env_file: Path | str | None) -> Path | None:
    """The `.env` the settings would be read from, when it is not there."""
    if env_file is None:
        return None
    path = Path(env_file).resolve()
    return None if path.is_file() else path


def load_settings(env_file: Path | str | None = ".env", **overrides: Any) -> Settings:
    """Read the settings once; raise `SettingsError` naming every problem."""
    try:
        return Settings(_env_file=env_file, **overrides)
    except ValidationError as exc:
        problems = explain_errors(exc)
        missing = missing_env_file(env_file)
        lines = []
        if missing is not None:
            lines.append(
                f"No .env file at {missing}: the settings come from the environment alone."
            )
        lines.append("The bot cannot start; fix these settings (in the environment or .env):")
        lines += [f"  - {problem}" for problem in problems]
        lines.append("See .env.example and the settings table in README.md.")
        raise SettingsError("\n".join(lines), problems, missing) from None


def explain_errors(exc: ValidationError) -> list[str]:
    """One line per bad setting: its name, what is wrong with the value in plain words, and
    a right one."""
    lines: list[str] = []
    seen: set[str] = set()
    for error in exc.errors(include_url=False, include_input=False):
        field_name = str(error["loc"][0]) if error["loc"] else "?"
        if field_name in seen:
            continue
        seen.add(field_name)
        name = field_name.upper()
        example = _example(field_name)
        shown = f" Example: {name}={example}" if example else ""
        if field_name in HINTS:
            shown = f" {HINTS[field_name]}"
        lines.append(f"{name}: {_plain(error, field_name)}.{shown}")
    return lines


def _plain(error: Any, field_name: str) -> str:
    """What is wrong, in the words of someone filling in a .env file."""
    kind: str = error["type"]
    context: dict[str, Any] = error.get("ctx") or {}
    if kind == "missing":
        return "is not set"
    if kind == "value_error":
        return str(context.get("error") or error["msg"]).removeprefix("Value error, ")
    if kind.startswith("url"):
        return "is not a full web address (it starts with https:// and names the host)"
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return "is not a whole number"
    if kind in {"float_parsing", "float_type"}:
        return "is not a number"
    if kind == "greater_than":
        return f"must be more than {_number(context.get('gt'))}"
    if kind == "greater_than_equal":
        return f"must be {_number(context.get('ge'))} or more"
    if kind == "less_than_equal":
        return f"must be {_number(context.get('le'))} or less"
    if kind == "string_too_short":
        return "is empty"
    if kind == "string_pattern_mismatch":
        return f"is not {SHAPES.get(field_name, 'written the right way')}"
    if kind == "literal_error":
        return f"must be one of {context.get('expected')}"
    return str(error["msg"])


def _number(value: object) -> str:
    """`0` rather than `0.0`."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _example(field_name: str) -> str:
    """A right value: the one in EXAMPLES, else the default."""
    if field_name in EXAMPLES:
        return EXAMPLES[field_name]
    field = Settings.model_fields.get(field_name)
    if field is None or field.default is None or field.is_required():
        return ""
    default = field.default
    if isinstance(default, frozenset | tuple | set):
        return ",".join(sorted(str(item) for item in default))
    return _number(default)
