"""The checks a shop definition must pass before the emulator plays it.

`check_definition` returns every problem found, in file order, each naming where it is
(`products[3].price must be a number or null`), so one message tells a shop owner everything
to fix. It checks the shapes the emulator relies on and the references between parts (a
product's status, a storage's form and accounts, a past order's user, products and statuses).
"""

from __future__ import annotations

import re
from typing import Any

from sandbox.oneentry.behaviours import check_behaviours

REQUIRED_LISTS = (
    "locales",
    "authProviders",
    "users",
    "productStatuses",
    "products",
    "forms",
    "paymentAccounts",
    "orderStorages",
)
OPTIONAL_LISTS = ("userGroups", "productAttributes", "pastOrders", "pages", "attributeSets")
PAGE_TYPES = ("catalog_page", "common_page", "product_page", "error_page", "external_page")
ATTRIBUTE_SOURCES = ("price", "currency")
TOP_LEVEL_KEYS = frozenset(
    {"project", *REQUIRED_LISTS, *OPTIONAL_LISTS, "productSeries", "behaviours", "botSettings"}
)
PAYMENT_LINKS = ("none", "immediate", "delayed")
SESSION_TYPES = ("session", "intent")
NUMERIC_ATTRIBUTE_TYPES = ("integer", "float", "real")
# The four settings the emulator prints itself; botSettings must not repeat them.
DERIVED_SETTINGS = (
    "ONEENTRY_PROJECT_URL",
    "ONEENTRY_APP_TOKEN",
    "ONEENTRY_GUEST_LOGIN",
    "ONEENTRY_GUEST_PASSWORD",
)
_LANG_CODE = re.compile(r"^[a-z]{2}_[A-Z]{2}$")
_SETTING_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value)


def _duplicates(values: list[Any]) -> list[Any]:
    seen: set[Any] = set()
    repeated: list[Any] = []
    for value in values:
        if value in seen and value not in repeated:
            repeated.append(value)
        seen.add(value)
    return repeated


class _Checker:
    """Collects problems while walking the definition."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.problems: list[str] = []
        self.langs: set[str] = set()

    def add(self, problem: str) -> None:
        self.problems.append(problem)

    def unique(self, key: str, field: str) -> None:
        values = [entry.get(field) for entry in self.data[key]]
        for value in _duplicates(values):
            self.add(f'"{key}" has {field} {value!r} more than once')

    def localized(self, entry: dict[str, Any], where: str, required: bool = True) -> None:
        """`localizeInfos` maps the project's languages to objects."""
        infos = entry.get("localizeInfos")
        if infos is None and not required:
            return
        if not isinstance(infos, dict) or not all(isinstance(v, dict) for v in infos.values()):
            self.add(f"{where}.localizeInfos must map language codes to objects")
            return
        for lang in infos:
            if lang not in self.langs:
                self.add(f"{where}.localizeInfos has '{lang}', which is not one of the locales")

    # -- the parts ----------------------------------------------------------------------------

    def project(self) -> None:
        project = self.data.get("project")
        if not isinstance(project, dict) or not isinstance(project.get("appToken"), str):
            self.add('"project.appToken" must be a string')
            return
        for key in ("name", "currency", "priceAttribute"):
            if key in project and not isinstance(project[key], str):
                self.add(f'"project.{key}" must be a string')

    def locales(self) -> None:
        for index, locale in enumerate(self.data["locales"]):
            where = f"locales[{index}]"
            code = locale.get("code")
            if not isinstance(code, str) or not _LANG_CODE.match(code):
                self.add(f"{where}.code must look like en_US")
            else:
                self.langs.add(code)
            if not _is_int(locale.get("id")) or not _is_int(locale.get("position")):
                self.add(f"{where} needs an integer id and position")
            for key in ("name", "nativeName"):
                if not _is_text(locale.get(key)):
                    self.add(f"{where}.{key} must be a non-empty string")
            if "isActive" in locale and not isinstance(locale["isActive"], bool):
                self.add(f"{where}.isActive must be true or false")
        self.unique("locales", "code")
        if not any(entry.get("isActive", True) for entry in self.data["locales"]):
            self.add('"locales" needs at least one active language')

    def user_groups(self) -> set[str]:
        groups: set[str] = set()
        for index, group in enumerate(self.data.get("userGroups", [])):
            where = f"userGroups[{index}]"
            if not _is_text(group.get("identifier")):
                self.add(f"{where}.identifier must be a non-empty string")
            else:
                groups.add(group["identifier"])
            if not isinstance(group.get("canReadProducts", False), bool):
                self.add(f"{where}.canReadProducts must be true or false")
        if "userGroups" in self.data:
            self.unique("userGroups", "identifier")
        return groups

    def auth_and_users(self, groups: set[str]) -> None:
        providers = {p.get("identifier") for p in self.data["authProviders"]}
        for index, provider in enumerate(self.data["authProviders"]):
            where = f"authProviders[{index}]"
            for key in ("identifier", "loginMarker", "passwordMarker"):
                if not _is_text(provider.get(key)):
                    self.add(f"{where}.{key} must be a non-empty string")
            group = provider.get("userGroupIdentifier")
            if group is not None and groups and group not in groups:
                self.add(f"{where}.userGroupIdentifier '{group}' is not one of the userGroups")
            self.localized(provider, where, required=False)
        self.unique("authProviders", "identifier")

        guests = [u for u in self.data["users"] if u.get("guest")]
        if len(guests) != 1:
            self.add('exactly one user must have "guest": true')
        for index, user in enumerate(self.data["users"]):
            where = f"users[{index}]"
            if not _is_int(user.get("id")):
                self.add(f"{where}.id must be an integer")
            if not all(_is_text(user.get(k)) for k in ("login", "password")):
                self.add(f"users[{index}] needs a non-empty login and password")
            if user.get("authProvider") not in providers:
                self.add(f"users[{index}].authProvider is not an auth provider")
            group = user.get("userGroupIdentifier")
            if group is not None and group not in groups:
                self.add(f"{where}.userGroupIdentifier '{group}' is not one of the userGroups")
        self.unique("users", "id")

    def catalogue(self) -> None:
        for index, status in enumerate(self.data["productStatuses"]):
            self.localized(status, f"productStatuses[{index}]")
        status_ids = {s.get("identifier") for s in self.data["productStatuses"]}
        for index, product in enumerate(self.data["products"]):
            where = f"products[{index}]"
            if not _is_int(product.get("id")):
                self.add(f"{where}.id must be an integer")
            if "price" not in product or not (
                product["price"] is None or _is_number(product["price"])
            ):
                self.add(f"{where}.price must be a number or null")
            if not isinstance(product.get("localizeInfos"), dict):
                self.add(f"{where}.localizeInfos must map languages to {{title, description}}")
            else:
                self.localized(product, where)
            status = product.get("statusIdentifier")
            if status is not None and status not in status_ids:
                self.add(f"{where}.statusIdentifier '{status}' is not a product status")
            self.attributes(product.get("attributes", {}), where)
            gallery = product.get("gallery", [])
            if not isinstance(gallery, list) or not all(_is_text(color) for color in gallery):
                self.add(f"{where}.gallery must be a list of hex colours")
            urls = {page.get("pageUrl") for page in self.data.get("pages", [])}
            for url in product.get("categories", []) if self.data.get("pages") else []:
                if url not in urls:
                    self.add(f"{where}.categories: '{url}' is not the pageUrl of a page")
        self.unique("products", "id")

    def attribute_sets(self) -> None:
        for index, entry in enumerate(self.data.get("attributeSets", [])):
            where = f"attributeSets[{index}]"
            if not _is_text(entry.get("identifier")):
                self.add(f"{where}.identifier must be a non-empty string")
            attributes = entry.get("attributes")
            if not isinstance(attributes, list) or not all(isinstance(a, dict) for a in attributes):
                self.add(f"{where}.attributes must be a list of objects")
                continue
            for position, attribute in enumerate(attributes):
                at = f"{where}.attributes[{position}]"
                if not _is_text(attribute.get("marker")) or not _is_text(attribute.get("type")):
                    self.add(f"{at} needs a marker and a type")
                self.localized(attribute, at)
        if self.data.get("attributeSets"):
            self.unique("attributeSets", "identifier")

    def pages(self) -> None:
        pages = self.data.get("pages", [])
        ids = {page.get("id") for page in pages}
        for index, page in enumerate(pages):
            where = f"pages[{index}]"
            if not _is_int(page.get("id")):
                self.add(f"{where}.id must be an integer")
            url = page.get("pageUrl")
            if not _is_text(url) or "/" in url:
                self.add(f"{where}.pageUrl must be a non-empty string without '/'")
            parent = page.get("parentId")
            if parent is not None and (parent not in ids or parent == page.get("id")):
                self.add(f"{where}.parentId {parent!r} is not another page's id")
            if page.get("type", "common_page") not in PAGE_TYPES:
                self.add(f"{where}.type must be one of {', '.join(PAGE_TYPES)}")
            self.localized(page, where)
        if pages:
            self.unique("pages", "id")
            self.unique("pages", "pageUrl")

    def attributes(self, attributes: object, where: str) -> None:
        if not isinstance(attributes, dict):
            self.add(f"{where}.attributes must map markers to {{type, value}}")
            return
        for marker, attribute in attributes.items():
            self.attribute(attribute, f"{where}.attributes.{marker}")

    def attribute(self, attribute: object, at: str) -> None:
        """`{type, value}`, or `{type, from}` with `from` one of ATTRIBUTE_SOURCES."""
        if not isinstance(attribute, dict) or not _is_text(attribute.get("type")):
            self.add(f"{at} must be an object with a type and a value")
            return
        if "from" in attribute:
            if attribute["from"] not in ATTRIBUTE_SOURCES:
                self.add(f"{at}.from must be one of {', '.join(ATTRIBUTE_SOURCES)}")
            return
        value = attribute.get("value")
        if attribute["type"] in NUMERIC_ATTRIBUTE_TYPES and not (
            value is None or _is_number(value)
        ):
            self.add(f"{at}.value must be a number or null (type {attribute['type']})")

    def shared_attributes(self) -> None:
        for index, attribute in enumerate(self.data.get("productAttributes", [])):
            where = f"productAttributes[{index}]"
            if not _is_text(attribute.get("marker")):
                self.add(f"{where}.marker must be a non-empty string")
            self.attribute(attribute, where)
        if "productAttributes" in self.data:
            self.unique("productAttributes", "marker")

    def form_field_extras(self, attribute: dict[str, Any], at: str) -> None:
        """A choice field's `listTitles` (value, localized title), a per-language
        `placeholder` and per-language `customErrorText`s."""
        titles = attribute.get("listTitles", [])
        if not isinstance(titles, list) or not all(isinstance(t, dict) for t in titles):
            self.add(f"{at}.listTitles must be a list of objects")
            titles = []
        for index, title in enumerate(titles):
            if not isinstance(title.get("value"), str | int) or title.get("value") == "":
                self.add(f"{at}.listTitles[{index}] needs a value")
            self.localized(title, f"{at}.listTitles[{index}]", required=False)
        if attribute.get("type") in ("list", "radioButton") and not titles:
            self.add(f"{at} is a {attribute['type']} field without listTitles")
        texts = [("placeholder", attribute.get("placeholder"))] + [
            (f"validators.{name}.customErrorText", settings.get("customErrorText"))
            for name, settings in (attribute.get("validators") or {}).items()
            if isinstance(settings, dict) and "customErrorText" in settings
        ]
        for where, value in texts:
            if value is None:
                continue
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                self.add(f"{at}.{where} must map language codes to texts")
            elif any(lang not in self.langs for lang in value):
                self.add(f"{at}.{where} has a language that is not one of the locales")

    def forms_and_accounts(self) -> None:
        for index, form in enumerate(self.data["forms"]):
            where = f"forms[{index}]"
            if not _is_text(form.get("identifier")):
                self.add(f"{where}.identifier must be a non-empty string")
            self.localized(form, where, required=False)
            attributes = form.get("attributes", [])
            if not isinstance(attributes, list) or not all(isinstance(a, dict) for a in attributes):
                self.add(f"{where}.attributes must be a list of objects")
                continue
            for position, attribute in enumerate(attributes):
                at = f"{where}.attributes[{position}]"
                if not _is_text(attribute.get("marker")) or not _is_text(attribute.get("type")):
                    self.add(f"{at} needs a marker and a type")
                self.localized(attribute, at, required=False)
                self.form_field_extras(attribute, at)
        self.unique("forms", "identifier")
        for index, account in enumerate(self.data["paymentAccounts"]):
            where = f"paymentAccounts[{index}]"
            if not _is_int(account.get("id")) or not _is_text(account.get("identifier")):
                self.add(f"{where} needs an integer id and an identifier")
            link = account.get("paymentLink")
            if link is not None and link not in PAYMENT_LINKS:
                self.add(f"{where}.paymentLink must be one of {', '.join(PAYMENT_LINKS)}")
            self.localized(account, where, required=False)
        self.unique("paymentAccounts", "identifier")
        self.unique("paymentAccounts", "id")

    def storages(self) -> None:
        forms = {f.get("identifier") for f in self.data["forms"]}
        accounts = {a.get("identifier") for a in self.data["paymentAccounts"]}
        for index, storage in enumerate(self.data["orderStorages"]):
            where = f"orderStorages[{index}]"
            if storage.get("formIdentifier") not in forms:
                self.add(f"{where}.formIdentifier is not a form")
            for account in storage.get("paymentAccountIdentifiers", []):
                if account not in accounts:
                    self.add(f"{where} links unknown payment account '{account}'")
            self.localized(storage, where, required=False)
            for key in ("orderStatuses", "paymentStatuses"):
                statuses = storage.get(key, [])
                if not isinstance(statuses, list) or not all(isinstance(s, dict) for s in statuses):
                    self.add(f"{where}.{key} must be a list of objects")
                    continue
                defaults = [s for s in statuses if s.get("isDefault")]
                if len(defaults) != 1:
                    self.add(f"{where}.{key} needs exactly one status with isDefault")
                for position, status in enumerate(statuses):
                    at = f"{where}.{key}[{position}]"
                    if not _is_text(status.get("identifier")):
                        self.add(f"{at}.identifier must be a non-empty string")
                    self.localized(status, at)
            if not any(
                isinstance(s, dict) and s.get("isPaid") for s in storage.get("paymentStatuses", [])
            ):
                self.add(f'{where}.paymentStatuses needs one status with "isPaid": true')
        self.unique("orderStorages", "identifier")

    def past_orders(self) -> None:
        users = {u.get("login") for u in self.data["users"]}
        products = {p.get("id") for p in self.data["products"]}
        storages = {s.get("identifier"): s for s in self.data["orderStorages"]}
        for index, order in enumerate(self.data.get("pastOrders", [])):
            where = f"pastOrders[{index}]"
            if not _is_int(order.get("id")) or order["id"] < 1:
                self.add(f"{where}.id must be a positive integer")
            if order.get("user") not in users:
                self.add(f"{where}.user must be the login of one of the users")
            age = order.get("ageHours")
            if not _is_number(age) or age < 0:
                self.add(f"{where}.ageHours must be a non-negative number")
            if order.get("formLang") not in self.langs:
                self.add(f"{where}.formLang must be one of the locales")
            self.past_form_data(order.get("formData"), where)
            self.past_products(order.get("products"), products, where)
            storage = storages.get(order.get("storage"))
            if storage is None:
                self.add(f"{where}.storage is not an order storage")
            else:
                self.past_statuses(order, storage, where)
            sessions = order.get("sessions", [])
            if not isinstance(sessions, list) or not all(isinstance(s, dict) for s in sessions):
                self.add(f"{where}.sessions must be a list of objects")
                continue
            for position, session in enumerate(sessions):
                at = f"{where}.sessions[{position}]"
                if not _is_text(session.get("status")):
                    self.add(f"{at}.status must be a non-empty string")
                if session.get("type", "session") not in SESSION_TYPES:
                    self.add(f"{at}.type must be one of {', '.join(SESSION_TYPES)}")
        if "pastOrders" in self.data:
            self.unique("pastOrders", "id")

    def past_form_data(self, form_data: object, where: str) -> None:
        if not isinstance(form_data, list) or not all(
            isinstance(f, dict) and _is_text(f.get("marker")) and "value" in f for f in form_data
        ):
            self.add(f"{where}.formData must be a list of {{marker, type, value}}")
            return
        for position, entry in enumerate(form_data):
            if not (entry.get("type") is None or _is_text(entry.get("type"))):
                self.add(f"{where}.formData[{position}].type must be a string or null")

    def past_products(self, lines: object, products: set[Any], where: str) -> None:
        if not isinstance(lines, list) or not all(isinstance(line, dict) for line in lines):
            self.add(f"{where}.products must be a list of {{productId, quantity}}")
            return
        for position, line in enumerate(lines):
            at = f"{where}.products[{position}]"
            if line.get("productId") not in products:
                self.add(f"{at}.productId is not a product")
            quantity = line.get("quantity")
            if not _is_int(quantity) or quantity < 1:
                self.add(f"{at}.quantity must be a positive integer")

    def past_statuses(self, order: dict[str, Any], storage: dict[str, Any], where: str) -> None:
        account = order.get("paymentAccountIdentifier")
        if account not in storage.get("paymentAccountIdentifiers", []):
            self.add(f"{where}.paymentAccountIdentifier is not linked to its storage")
        for key, statuses in (
            ("statusIdentifier", storage.get("orderStatuses", [])),
            ("paymentStatusIdentifier", storage.get("paymentStatuses", [])),
        ):
            known = {s.get("identifier") for s in statuses if isinstance(s, dict)}
            if order.get(key) not in known:
                self.add(f"{where}.{key} '{order.get(key)}' is not a status of its storage")

    def bot_settings(self) -> None:
        settings = self.data.get("botSettings", {})
        if not isinstance(settings, dict):
            self.add('"botSettings" must be an object of NAME: "value" strings')
            return
        for name, value in settings.items():
            if not _SETTING_NAME.match(name) or not isinstance(value, str):
                self.add(f"botSettings.{name} must be an UPPER_CASE name with a string value")
            elif name in DERIVED_SETTINGS:
                self.add(f"botSettings.{name} is printed by the emulator itself; leave it out")


def check_definition(data: Any) -> list[str]:
    """Every problem with a shop definition's shape and references, in file order."""
    if not isinstance(data, dict):
        return ["the top level must be a JSON object"]
    checker = _Checker(data)
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            checker.add(f'"{key}" is not a part of a shop definition')
    checker.project()
    bad_lists = [
        key
        for key in (*REQUIRED_LISTS, *(k for k in OPTIONAL_LISTS if k in data))
        if not isinstance(data.get(key), list) or not all(isinstance(x, dict) for x in data[key])
    ]
    for key in bad_lists:
        checker.add(f'"{key}" must be a list of objects')
    if bad_lists:
        return checker.problems
    checker.locales()
    groups = checker.user_groups()
    checker.auth_and_users(groups)
    checker.shared_attributes()
    checker.pages()
    checker.attribute_sets()
    checker.catalogue()
    checker.forms_and_accounts()
    checker.storages()
    checker.past_orders()
    checker.problems.extend(check_behaviours(data.get("behaviours", {})))
    checker.bot_settings()
    return checker.problems
