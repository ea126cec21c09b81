"""Settings: read once, every problem named in one message, secrets never shown."""

import re
from pathlib import Path

import pytest

from settings import Settings, SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[2]

REQUIRED = {
    "TELEGRAM_BOT_TOKEN": "123456:secret-bot-token",
    "ONEENTRY_PROJECT_URL": "https://shop.oneentry.cloud/",
    "ONEENTRY_APP_TOKEN": "secret-app-token",
    "ONEENTRY_GUEST_LOGIN": "guest@shop.example",
    "ONEENTRY_GUEST_PASSWORD": "secret-password",
}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)


def test_defaults_and_derived_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in REQUIRED.items():
        monkeypatch.setenv(name, value)
    settings = load_settings(env_file=None)
    assert settings.oneentry_order_storage == "guest_orders"
    assert settings.oneentry_payment_account == "cash"
    assert settings.admin_ids == frozenset()
    assert settings.staff_chat_id is None
    assert settings.telegram_base_url == "https://api.telegram.org/bot"
    assert settings.telegram_file_base_url == "https://api.telegram.org/file/bot"
    assert settings.oneentry_base_url == "https://shop.oneentry.cloud"


def test_reads_dotenv_file_and_comma_separated_admins(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    lines = [f"{k}={v}" for k, v in REQUIRED.items()]
    lines += ["ADMIN_IDS=11, 22,33", "STAFF_CHAT_ID=-100123", "LOG_LEVEL=debug", "DATA_DIR="]
    env.write_text("\n".join(lines))
    settings = load_settings(env_file=env)
    assert settings.admin_ids == {11, 22, 33}
    assert settings.staff_chat_id == -100123
    assert settings.log_level == "DEBUG"
    assert settings.data_dir == Path("./data")


def test_every_problem_is_named_in_one_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "not-a-token")
    monkeypatch.setenv("ONEENTRY_PROJECT_URL", "my-shop")
    monkeypatch.setenv("ADMIN_IDS", "12,abc")
    monkeypatch.setenv("ONEENTRY_TIMEOUT", "-1")
    with pytest.raises(SettingsError) as caught:
        load_settings(env_file=None)
    message = str(caught.value)
    for name in (
        "TELEGRAM_BOT_TOKEN",
        "ONEENTRY_PROJECT_URL",
        "ONEENTRY_APP_TOKEN: is not set",
        "ONEENTRY_GUEST_LOGIN: is not set",
        "ONEENTRY_GUEST_PASSWORD: is not set",
        "ADMIN_IDS",
        "ONEENTRY_TIMEOUT",
    ):
        assert name in message
    assert message.count("@BotFather") == 1
    assert "not-a-token" not in message
    assert len(caught.value.problems) == 7


def test_secrets_are_hidden_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in REQUIRED.items():
        monkeypatch.setenv(name, value)
    shown = repr(load_settings(env_file=None))
    assert "secret" not in shown


def test_every_setting_is_documented() -> None:
    """README's table and .env.example name every setting, so users can find them all."""
    readme = (ROOT / "README.md").read_text()
    example = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))
    for name in Settings.model_fields:
        assert f"`{name.upper()}`" in readme, f"{name.upper()} missing from README.md"
        assert name.upper() in documented, f"{name.upper()} missing from .env.example"
