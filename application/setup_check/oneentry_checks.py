"""Checks against the OneEntry project, in dependency order: reachable with the app token →
guest login → order storage → its payment accounts; the order form and the catalog need only
the app token. A check whose prerequisite failed is reported as not checked, never as a second
failure, so each problem shows up once, on its own row."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from application.builder import shop_config
from application.setup_check.results import CheckResult, Status
from oneentry_client import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    OneEntryClient,
    OneEntryError,
    OrderStorage,
    PermissionDeniedError,
)
from settings import Settings
from shop.catalog import Catalog, CatalogProduct
from shop.order_form import OrderForm, OrderFormField, Role, read_form

REACHABLE = "OneEntry app token"
GUEST = "Guest login"
STORAGE = "Order storage"
ACCOUNTS = "Payment accounts"
STATUSES = "Order statuses"
FORM = "Order form"
LANGUAGES = "Languages"
PRODUCTS = "Products"
CATEGORIES = "Categories"
CHECKED_PAGE_SIZE = 100
CHECKED_PAGES = 20  # the first 2,000 products

# The settings that name order statuses, and how the check speaks of them.
STATUS_SETTINGS = (
    ("ONEENTRY_PAID_ORDER_STATUSES", "oneentry_paid_order_statuses", "paid"),
    ("ONEENTRY_CANCELLED_ORDER_STATUSES", "oneentry_cancelled_order_statuses", "cancelled"),
    ("ONEENTRY_FINISHED_ORDER_STATUSES", "oneentry_finished_order_statuses", "done"),
)


@dataclass
class OneEntryFindings:
    results: list[CheckResult] = field(default_factory=list)
    storage: OrderStorage | None = None

    def add(self, result: CheckResult) -> bool:
        self.results.append(result)
        return result.status is Status.OK


async def check_oneentry(settings: Settings, client: OneEntryClient) -> list[CheckResult]:
    found = OneEntryFindings()
    if not found.add(await _check_reachable(settings, client)):
        because = "OneEntry did not accept the app token"
        for name in (GUEST, STORAGE, ACCOUNTS, STATUSES, FORM, LANGUAGES, PRODUCTS, CATEGORIES):
            found.add(CheckResult.skipped(name, because))
        return found.results
    if found.add(await _check_guest(settings, client)):
        storage_result, found.storage = await _check_storage(settings, client)
        if found.add(storage_result):
            found.add(_check_accounts(settings, found.storage))
            found.add(await _check_statuses(settings, client))
        else:
            because = (
                "the order storage was not found"
                if found.storage is None
                else "the order storage uses another form"
            )
            for name in (ACCOUNTS, STATUSES):
                found.add(CheckResult.skipped(name, because))
    else:
        for name in (STORAGE, ACCOUNTS, STATUSES):
            found.add(CheckResult.skipped(name, "the guest user could not log in"))
    found.add(await _check_form(settings, client))
    found.add(await _check_languages(settings, client))
    found.add(await _check_products(settings, client))
    found.add(await _check_categories(settings, client))
    return found.results


async def _check_reachable(settings: Settings, client: OneEntryClient) -> CheckResult:
    """A public read that needs only the app token."""
    try:
        await client.products.statuses()
    except APIConnectionError as exc:
        return CheckResult.fail(
            REACHABLE,
            f"cannot reach {settings.oneentry_base_url} ({exc.message})",
            "Check ONEENTRY_PROJECT_URL (your project's address, like "
            "https://my-shop.oneentry.cloud) and the machine's internet access.",
        )
    except (AuthenticationError, PermissionDeniedError):
        return CheckResult.fail(
            REACHABLE,
            "OneEntry refused the app token",
            "In the OneEntry admin panel open Settings → App tokens, create or copy a token "
            "and put it into ONEENTRY_APP_TOKEN.",
        )
    except OneEntryError as exc:
        return CheckResult.fail(
            REACHABLE,
            f"OneEntry answered with an error ({exc})",
            "Check ONEENTRY_PROJECT_URL; if it is right, OneEntry may be down: try again later.",
        )
    return CheckResult.ok(REACHABLE, f"{settings.oneentry_base_url} accepts it")


async def _check_guest(settings: Settings, client: OneEntryClient) -> CheckResult:
    who = f"{settings.oneentry_guest_login} via '{settings.oneentry_auth_provider}'"
    try:
        await client.auth.login()
    except NotFoundError:
        return CheckResult.fail(
            GUEST,
            f"no auth provider '{settings.oneentry_auth_provider}'",
            "Create an email auth provider in OneEntry (Users → Auth providers) or set "
            "ONEENTRY_AUTH_PROVIDER to the marker of yours.",
        )
    except BadRequestError as exc:
        return CheckResult.fail(
            GUEST,
            f"the provider refused the login fields ({exc.message})",
            "Set ONEENTRY_LOGIN_MARKER and ONEENTRY_PASSWORD_MARKER to the markers of the "
            "provider form's login and password fields.",
        )
    except AuthenticationError:
        return CheckResult.fail(
            GUEST,
            f"wrong login or password for {who}",
            "Check ONEENTRY_GUEST_LOGIN and ONEENTRY_GUEST_PASSWORD, and that the guest user "
            "exists and is activated in OneEntry (Users).",
        )
    except OneEntryError as exc:
        return CheckResult.fail(GUEST, f"login failed ({exc})", "Try again; see the error.")
    return CheckResult.ok(GUEST, f"{who} works")


async def _check_storage(
    settings: Settings, client: OneEntryClient
) -> tuple[CheckResult, OrderStorage | None]:
    marker = settings.oneentry_order_storage
    try:
        storage = await client.orders.get_storage(marker)
    except NotFoundError:
        return CheckResult.fail(
            STORAGE,
            f"no order storage '{marker}'",
            "Create it in OneEntry (Orders → Storages) or set ONEENTRY_ORDER_STORAGE to the "
            "marker of yours.",
        ), None
    except OneEntryError as exc:
        return CheckResult.fail(STORAGE, f"cannot read '{marker}' ({exc})", _access_fix()), None
    form = settings.oneentry_order_form
    if storage.form_identifier != form:
        return CheckResult.fail(
            STORAGE,
            f"'{marker}' uses the form '{storage.form_identifier}', not '{form}'",
            f"Attach the form '{form}' to the storage, or set ONEENTRY_ORDER_FORM="
            f"{storage.form_identifier}.",
        ), storage
    return CheckResult.ok(STORAGE, f"'{marker}' uses the form '{form}'"), storage


def _check_accounts(settings: Settings, storage: OrderStorage | None) -> CheckResult:
    accounts = storage.payment_account_identifiers if storage else []
    default = settings.oneentry_payment_account
    if not accounts:
        return CheckResult.fail(
            ACCOUNTS,
            "the storage offers no payment account",
            f"Add payment accounts to the storage in OneEntry, '{default}' among them.",
        )
    if default not in accounts:
        return CheckResult.fail(
            ACCOUNTS,
            f"'{default}' is not among the storage's accounts ({', '.join(accounts)})",
            f"Add '{default}' to the storage, or set ONEENTRY_PAYMENT_ACCOUNT to one of "
            f"{', '.join(accounts)}.",
        )
    return CheckResult.ok(ACCOUNTS, f"{', '.join(accounts)} (default '{default}')")


async def _check_statuses(settings: Settings, client: OneEntryClient) -> CheckResult:
    """Every order status the settings give a meaning to exists in the storage."""
    marker = settings.oneentry_order_storage
    try:
        statuses = await client.orders.statuses(marker)
    except OneEntryError as exc:
        return CheckResult.fail(STATUSES, f"cannot read the statuses ({exc})", _access_fix())
    real = [status.identifier for status in statuses if status.identifier]
    known = {identifier.lower() for identifier in real}
    problems: list[str] = []
    fixes: list[str] = []
    meanings: list[str] = []
    for setting, attribute, meaning in STATUS_SETTINGS:
        configured = sorted(getattr(settings, attribute))
        missing = [status for status in configured if status.lower() not in known]
        if missing:
            problems.append(f"{setting}: no status {', '.join(repr(m) for m in missing)}")
            fixes.append(f"Set {setting} to the storage's statuses that mean {meaning}.")
        elif configured:
            meanings.append(f"{meaning}: {', '.join(configured)}")
    if problems:
        fixes.append(f"The storage '{marker}' has: {', '.join(real) or 'no statuses'}.")
        return CheckResult.fail(STATUSES, "; ".join(problems), "\n".join(fixes))
    return CheckResult.ok(STATUSES, f"{', '.join(real)} ({'; '.join(meanings)})")


async def _check_languages(settings: Settings, client: OneEntryClient) -> CheckResult:
    """ONEENTRY_LANG must be one of the project's active languages; a missing Russian one
    only means Russian speakers read the main language."""
    try:
        locales = await client.locales.active()
    except OneEntryError as exc:
        return CheckResult.fail(LANGUAGES, f"cannot read the languages ({exc})", _access_fix())
    active = [locale.code for locale in locales if locale.is_active is not False]
    listed = ", ".join(active) or "none"
    if settings.oneentry_lang not in active:
        return CheckResult.fail(
            LANGUAGES,
            f"ONEENTRY_LANG {settings.oneentry_lang} is not an active language ({listed})",
            f"Set ONEENTRY_LANG to the project's main language, one of: {listed}.",
        )
    if settings.oneentry_lang_ru not in active:
        return CheckResult.warn(
            LANGUAGES,
            f"{listed}; no {settings.oneentry_lang_ru}: Russian speakers read "
            f"{settings.oneentry_lang}",
            f"Set ONEENTRY_LANG_RU to one of {listed} if the project has Russian texts.",
        )
    return CheckResult.ok(LANGUAGES, f"{listed} (main: {settings.oneentry_lang})")


async def _check_form(settings: Settings, client: OneEntryClient) -> CheckResult:
    marker = settings.oneentry_order_form
    try:
        form = await client.forms.get(marker)
    except NotFoundError:
        return CheckResult.fail(
            FORM,
            f"no form '{marker}'",
            "Create an order form in OneEntry (Forms) or set ONEENTRY_ORDER_FORM.",
        )
    except OneEntryError as exc:
        return CheckResult.fail(FORM, f"cannot read '{marker}' ({exc})", _access_fix())
    order_form = read_form(form, shop_config(settings))
    return form_result(order_form, settings)


ROLE_SETTINGS = {
    Role.NAME: "ONEENTRY_NAME_FIELD",
    Role.PHONE: "ONEENTRY_PHONE_FIELD",
    Role.EMAIL: "ONEENTRY_EMAIL_FIELD",
}


def form_result(form: OrderForm, settings: Settings) -> CheckResult:
    """The fields the checkout will ask, in order, with their type and rules; ✗ for a
    required field the bot cannot fill, ⚠ for a role (name, phone, email) no field plays."""
    listed = "\n".join(
        f"{number}. {describe_field(item)}" for number, item in enumerate(form.asked_fields, 1)
    )
    skipped = [item for item in form.fields if not item.asked and not item.required]
    if skipped:
        listed += "\nnot asked: " + "; ".join(
            f"{item.marker} ({'hidden' if not item.visible else item.why_not_fillable()})"
            for item in skipped
        )
    detail = f"'{form.identifier}': the checkout asks, in this order:\n{listed or '(nothing)'}"
    if form.blocking_fields:
        problems = [
            f"'{item.marker}' is required, but {item.why_not_fillable() or 'it is hidden'}"
            for item in form.blocking_fields
        ]
        fixes = [
            f"Make '{item.marker}' optional in '{form.identifier}', change its type, or remove it."
            for item in form.blocking_fields
        ]
        return CheckResult.fail(
            FORM, "; ".join(problems) + "\n" + detail, "\n".join(fixes), problems=len(problems)
        )
    missing = [role for role in Role if form.role_field(role) is None]
    if missing:
        configured = {
            Role.NAME: settings.oneentry_name_field,
            Role.PHONE: settings.oneentry_phone_field,
            Role.EMAIL: settings.oneentry_email_field,
        }
        return CheckResult.warn(
            FORM,
            f"no field for the customer's {', '.join(role.value for role in missing)}\n" + detail,
            "\n".join(
                f"Set {ROLE_SETTINGS[role]} to the marker of the form's {role.value} field "
                f"(now '{configured[role]}'), or add one to '{form.identifier}'."
                for role in missing
            ),
        )
    return CheckResult.ok(FORM, detail)


def describe_field(item: OrderFormField) -> str:
    """`guest_phone "Phone" (string, required, phone; mask +7 (999) 999-99-99)`."""
    parts = [item.type, "required" if item.required else "optional"]
    if item.role is not None:
        parts.append(item.role.value)
    rules = item.rules
    limits = []
    if rules.exact_length:
        limits.append(f"exactly {rules.exact_length} characters")
    elif rules.min_length or rules.max_length:
        low, high = rules.min_length, rules.max_length
        limits.append(
            f"{low}–{high} characters"
            if low and high
            else f"at most {high} characters"
            if high
            else f"at least {low} characters"
        )
    if rules.email:
        limits.append("an email address")
    if rules.mask:
        limits.append(f"mask {rules.mask}")
    if rules.pattern:
        limits.append(f"pattern {rules.pattern}")
    if rules.trim:
        limits.append("trimmed")
    if rules.default is not None:
        limits.append(f"default {rules.default}")
    if item.options:
        limits.append("choices: " + ", ".join(option.title for option in item.options))
    if rules.error_texts:
        limits.append("the shop's own error texts")
    described = ", ".join(parts) + ("; " + "; ".join(limits) if limits else "")
    return f'{item.marker} "{item.title}" ({described})'


async def _check_products(settings: Settings, client: OneEntryClient) -> CheckResult:
    """Every product the bot would sell, read once: CATALOG_PRODUCT_IDS, else the whole
    catalog (page by page, as many as a check can afford)."""
    # One flat list in big pages: a check reads every product, not the customers' screens.
    config = dataclasses.replace(
        shop_config(settings), catalog_page_url="", catalog_page_size=CHECKED_PAGE_SIZE
    )
    catalog = Catalog(client, config, ttl_seconds=0)
    lang = settings.oneentry_lang
    try:
        if settings.catalog_product_ids:
            products = list((await catalog.products(settings.catalog_product_ids, lang)).products)
        else:
            products = await _every_product(catalog, lang)
    except Exception as exc:  # CatalogUnavailable or a model error: report, never crash
        return CheckResult.fail(PRODUCTS, f"cannot list products ({exc})", _access_fix())
    listed = {product.id for product in products}
    absent = [pid for pid in settings.catalog_product_ids if pid not in listed]
    if absent:
        ids = ", ".join(str(pid) for pid in absent)
        return CheckResult.fail(
            PRODUCTS,
            f"CATALOG_PRODUCT_IDS: no visible product {ids} "
            f"({len(absent)} of {len(settings.catalog_product_ids)} ids)",
            "Remove these ids from CATALOG_PRODUCT_IDS, or make the products visible in "
            "OneEntry (Catalog → the product → visible); an id is the number OneEntry shows "
            "for the product.",
        )
    on_sale = [product for product in products if product.orderable]
    unpriced = [product for product in products if not product.for_sale]
    if not on_sale:
        return CheckResult.fail(
            PRODUCTS,
            f"no visible product with a price ({len(products)} visible)",
            "In OneEntry make products visible, give them a price and a status not in "
            "UNAVAILABLE_STATUSES; check CATALOG_PRODUCT_IDS and ONEENTRY_PRICE_ATTRIBUTE.",
        )
    detail = f"{len(on_sale)} of {len(products)} on sale"
    if unpriced:
        ids = ", ".join(str(product.id) for product in unpriced[:10])
        detail += f"; {len(unpriced)} without a price, shown as not for sale (ids {ids})"
    return CheckResult.ok(PRODUCTS, detail)


async def _every_product(catalog: Catalog, lang: str) -> list[CatalogProduct]:
    """The flat list, page after page (up to CHECKED_PAGES pages)."""
    found: list[CatalogProduct] = []
    for number in range(CHECKED_PAGES):
        page = (await catalog.listing(lang, 0, number)).page
        found.extend(page.products)
        if not page.has_next:
            break
    return found


async def _check_categories(settings: Settings, client: OneEntryClient) -> CheckResult:
    """The catalog page CATALOG_PAGE_URL and its sub-pages: the categories customers see."""
    url = settings.catalog_page_url.strip().strip("/")
    if settings.catalog_product_ids:
        return CheckResult.ok(CATEGORIES, "none: CATALOG_PRODUCT_IDS lists the products sold")
    if not url:
        return CheckResult.ok(CATEGORIES, "none: CATALOG_PAGE_URL is empty (one list)")
    catalog = Catalog(client, shop_config(settings), ttl_seconds=0)
    try:
        tree = await catalog.tree(settings.oneentry_lang)
    except Exception as exc:  # CatalogUnavailable or a model error: report, never crash
        return CheckResult.fail(CATEGORIES, f"cannot read the pages ({exc})", _access_fix())
    if tree is None:
        return CheckResult.warn(
            CATEGORIES,
            f"no visible catalog page '{url}': customers get one list of every product",
            f"In OneEntry (Pages) make a page of type catalog page with the URL '{url}' and "
            "put the categories under it as its sub-pages, or set CATALOG_PAGE_URL to your "
            "catalog page's URL (empty: one list on purpose).",
        )
    top = len(tree.children(tree.root))
    return CheckResult.ok(
        CATEGORIES,
        f"'{url}': {top} top categories, {len(tree.categories) - 1} in all",
    )


def _access_fix() -> str:
    return (
        "Open the entity to the API in OneEntry (its access settings) and give the guest "
        "user's group read rights."
    )
