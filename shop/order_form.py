"""The shop's order form as the checkout asks it: every visible field in `position` order,
titled in the customer's language, with the rules of its validators.

The form is OneEntry's (`GET /forms/marker/{marker}`), read per content language and cached
like the catalog, so a field the shop owner adds, removes or changes in the admin panel is
asked from the next refresh on, without a restart. Three fields have a role the bot needs:
the customer's name, phone and email. They are found by the marker settings, else by what the
field says of itself (an `emailInspectionValidator` is the email, a mask or a "phone" marker
the phone, a "name" marker the name).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from oneentry_client import Form, FormAttribute, OneEntryClient
from shop.cache import RefreshingCache
from shop.config import ShopConfig
from shop.languages import ContentLanguages

logger = logging.getLogger(__name__)

# What the checkout can ask, by OneEntry attribute type.
TEXT_TYPES = frozenset({"string", "text"})
NUMBER_TYPES = frozenset({"integer", "real", "float"})
MOMENT_TYPES = frozenset({"date", "dateTime", "time"})
CHOICE_TYPES = frozenset({"list", "radioButton"})
ASKABLE_TYPES = TEXT_TYPES | NUMBER_TYPES | MOMENT_TYPES | CHOICE_TYPES
FILE_TYPES = frozenset({"file", "image", "groupOfImages"})

# Positions in a `fieldMaskValidator` mask that take one digit; anything else is literal.
MASK_DIGITS = frozenset("9#_")


class Role(StrEnum):
    """What the bot itself needs a field for."""

    NAME = "name"
    PHONE = "phone"
    EMAIL = "email"


class OrderFormUnavailable(Exception):
    """OneEntry could not give the order form, and none is cached."""


@dataclass(frozen=True, slots=True)
class FieldOption:
    """One choice of a `list` / `radioButton` field (`listTitles`)."""

    value: str | int
    title: str
    extended: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FieldRules:
    """A field's validators, read once. Lengths of 0 mean "not set", as in OneEntry.
    `error_texts` holds each validator's `customErrorText` (in the form's language)."""

    required: bool = False
    min_length: int = 0
    max_length: int = 0
    exact_length: int = 0
    email: bool = False
    pattern: str | None = None
    mask: str | None = None
    mask_hint: str | None = None
    trim: bool = False
    default: Any = None
    error_texts: Mapping[str, str] = field(default_factory=dict)

    def error_text(self, validator: str) -> str | None:
        """The shop's own words for a refusal by `validator`, if it set any."""
        return self.error_texts.get(validator) or None


@dataclass(frozen=True, slots=True)
class OrderFormField:
    """One field of the order form, in the language it was read in."""

    marker: str
    type: str
    position: int
    title: str
    placeholder: str = ""
    rules: FieldRules = field(default_factory=FieldRules)
    options: tuple[FieldOption, ...] = ()
    role: Role | None = None
    visible: bool = True

    @property
    def required(self) -> bool:
        return self.rules.required

    @property
    def askable(self) -> bool:
        """The checkout can fill it: a type it asks, and a choice field with choices."""
        if self.type in CHOICE_TYPES:
            return bool(self.options)
        return self.type in ASKABLE_TYPES

    @property
    def asked(self) -> bool:
        """The checkout asks it: visible and fillable."""
        return self.visible and self.askable

    def why_not_fillable(self) -> str | None:
        """Why the bot cannot fill this field (None when it can), for `bot.py check`."""
        if self.askable:
            return None
        if self.type in FILE_TYPES:
            return f"a {self.type} field: customers cannot upload files through the bot"
        if self.type in CHOICE_TYPES:
            return f"a {self.type} field with no choices (listTitles is empty)"
        return f"the bot cannot fill a field of type '{self.type}'"


@dataclass(frozen=True, slots=True)
class OrderForm:
    """The fields of the order form, in `position` order."""

    identifier: str
    fields: tuple[OrderFormField, ...]

    @property
    def asked_fields(self) -> tuple[OrderFormField, ...]:
        return tuple(item for item in self.fields if item.asked)

    @property
    def blocking_fields(self) -> tuple[OrderFormField, ...]:
        """Required fields the bot cannot fill: no order of this form can be placed."""
        return tuple(item for item in self.fields if item.required and not item.asked)

    def field(self, marker: str) -> OrderFormField | None:
        return next((item for item in self.fields if item.marker == marker), None)

    def role_field(self, role: Role) -> OrderFormField | None:
        return next((item for item in self.fields if item.role is role), None)

    def marker_for(self, key: str) -> str | None:
        """A field marker for `key`: a marker itself, or `@name` / `@phone` / `@email` (a
        detail saved by an earlier version of the bot, before fields had markers)."""
        if key.startswith("@"):
            try:
                found = self.role_field(Role(key[1:]))
            except ValueError:
                return None
            return found.marker if found else None
        return key if self.field(key) else None


def read_form(form: Form, config: ShopConfig, fallback: Form | None = None) -> OrderForm:
    """The form as the checkout asks it; texts missing in `form`'s language come from
    `fallback` (the project's main language)."""
    spare = {attribute.marker: attribute for attribute in (fallback.attributes if fallback else [])}
    ordered = sorted(enumerate(form.attributes), key=lambda pair: (pair[1].position or 0, pair[0]))
    fields = [_read_field(attribute, spare.get(attribute.marker)) for _, attribute in ordered]
    roles = _roles(fields, config)
    return OrderForm(
        identifier=form.identifier or config.order_form,
        fields=tuple(_with_role(item, roles.get(item.marker)) for item in fields),
    )


def _with_role(item: OrderFormField, role: Role | None) -> OrderFormField:
    if role is None:
        return item
    return OrderFormField(
        item.marker,
        item.type,
        item.position,
        item.title,
        item.placeholder,
        item.rules,
        item.options,
        role,
        item.visible,
    )


def _roles(fields: list[OrderFormField], config: ShopConfig) -> dict[str, Role]:
    """Which field plays which role: the marker settings first, else the field's own hints."""
    by_marker = {item.marker: item for item in fields if item.type in TEXT_TYPES}
    roles: dict[str, Role] = {}
    configured = {
        Role.NAME: config.name_field,
        Role.PHONE: config.phone_field,
        Role.EMAIL: config.email_field,
    }
    guesses: dict[Role, Callable[[OrderFormField], bool]] = {
        Role.EMAIL: lambda item: item.rules.email or "email" in item.marker.lower(),
        Role.PHONE: lambda item: (
            bool(item.rules.mask)
            or any(word in item.marker.lower() for word in ("phone", "tel", "mobile"))
        ),
        Role.NAME: lambda item: "name" in item.marker.lower(),
    }
    for role, marker in configured.items():
        if marker in by_marker:
            roles[marker] = role
    for role, guess in guesses.items():
        if role in roles.values():
            continue
        found = next(
            (item for item in by_marker.values() if item.marker not in roles and guess(item)),
            None,
        )
        if found is not None:
            roles[found.marker] = role
    return roles


def _read_field(attribute: FormAttribute, spare: FormAttribute | None) -> OrderFormField:
    validators = attribute.validators
    title = attribute.localize_infos.title or (spare.localize_infos.title if spare else None)
    return OrderFormField(
        marker=attribute.marker,
        type=attribute.type or "string",
        position=attribute.position or 0,
        title=title or attribute.marker,
        placeholder=_placeholder(attribute) or (_placeholder(spare) if spare else ""),
        rules=_rules(validators, spare.validators if spare else {}),
        options=_options(attribute.list_titles, spare.list_titles if spare else []),
        visible=attribute.is_visible is not False,
    )


def _placeholder(attribute: FormAttribute) -> str:
    entry = attribute.additional_fields.get("placeholder")
    value = entry.get("value") if isinstance(entry, dict) else entry
    return value.strip() if isinstance(value, str) else ""


def _options(titles: list[Any], spare: list[Any]) -> tuple[FieldOption, ...]:
    spare_titles = {
        str(item.get("value")): item.get("title") for item in spare if isinstance(item, dict)
    }
    options = []
    ordered = sorted(
        (item for item in titles if isinstance(item, dict)),
        key=lambda item: _number(item.get("position")),
    )
    for item in ordered:
        value = item.get("value")
        if not isinstance(value, str | int) or isinstance(value, bool) or value == "":
            continue
        title = item.get("title") or spare_titles.get(str(value)) or str(value)
        extended = item.get("extended") if isinstance(item.get("extended"), dict) else {}
        options.append(FieldOption(value, str(title), extended or {}))
    return tuple(options)


def _rules(validators: Mapping[str, Any], spare: Mapping[str, Any]) -> FieldRules:
    def settings(name: str) -> dict[str, Any]:
        value = validators.get(name)
        return value if isinstance(value, dict) else {}

    def present(name: str) -> bool:
        return validators.get(name) not in (None, False)

    errors: dict[str, str] = {}
    for name in validators:
        text = settings(name).get("customErrorText")
        spare_text = (
            spare.get(name, {}).get("customErrorText")
            if isinstance(spare.get(name), dict)
            else None
        )
        chosen = text if isinstance(text, str) and text.strip() else spare_text
        if isinstance(chosen, str) and chosen.strip():
            errors[name] = chosen.strip()
    strings = settings("stringInspectionValidator")
    default = settings("defaultValueValidator").get("fieldDefaultValue")
    pattern = settings("regExpValidator").get("patternValue")
    mask = settings("fieldMaskValidator").get("maskValue")
    hint = settings("fieldMaskValidator").get("hint")
    return FieldRules(
        required=present("requiredValidator"),
        min_length=_number(strings.get("stringMin")),
        max_length=_number(strings.get("stringMax")),
        exact_length=_number(strings.get("stringLength")),
        email=present("emailInspectionValidator"),
        pattern=pattern if isinstance(pattern, str) and pattern else None,
        mask=mask if isinstance(mask, str) and mask.strip() else None,
        mask_hint=hint if isinstance(hint, str) and hint.strip() else None,
        trim=present("trimValidator"),
        default=default if default not in (None, "") else None,
        error_texts=errors,
    )


def _number(value: object) -> int:
    """OneEntry sends numbers, sometimes as strings; unset is 0 or ''."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return 0


class OrderForms:
    """The order form per content language, read through a cache like the catalog's."""

    def __init__(
        self,
        client: OneEntryClient,
        config: ShopConfig,
        *,
        ttl_seconds: float,
        languages: ContentLanguages | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._config = config
        self._languages = languages
        self._cache: RefreshingCache[Form] = RefreshingCache(
            ttl_seconds, unavailable=lambda error: OrderFormUnavailable(str(error)), clock=clock
        )
        # The last form read per language, by the cached answers it was read from: every
        # checkout step asks for the form, and the answers change once per cache period.
        self._read: dict[str, tuple[Form, Form | None, OrderForm]] = {}

    async def for_lang(self, lang: str) -> OrderForm:
        """The form in `lang`, its missing texts in the project's main language."""
        form = await self._raw(lang)
        fallbacks = self._languages.fallback_langs(lang)[1:] if self._languages else ()
        fallback = None
        if fallbacks:
            try:
                fallback = await self._raw(fallbacks[0])
            except OrderFormUnavailable:
                fallback = None
        last = self._read.get(lang)
        if last is not None and last[0] is form and last[1] is fallback:
            return last[2]
        read = read_form(form, self._config, fallback)
        self._read[lang] = (form, fallback, read)
        return read

    async def _raw(self, lang: str) -> Form:
        marker = self._config.order_form
        return await self._cache.get(lang, lambda: self._client.forms.get(marker, lang=lang))
