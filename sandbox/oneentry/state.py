"""`EmulatorState`: everything the emulated project knows, with the operations on it.

Endpoints and control calls act on one explicit state object; tests use the same methods
in-process (add a fault, pay a session, expire tokens, flip a behaviour) and read
`orders`/`sessions`/`requests` directly.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sandbox.oneentry.behaviours import Behaviours
from sandbox.oneentry.errors import ProtocolError, bad_request, iso_at, not_found, unauthorized
from sandbox.oneentry.faults import Fault, FaultPlan
from sandbox.oneentry.page_tree import PageTree
from sandbox.oneentry.past_orders import build_past_orders
from sandbox.oneentry.records import StoredOrder, StoredSession
from sandbox.oneentry.request_log import RequestRecord
from sandbox.oneentry.seed import load_seed
from sandbox.oneentry.shop import ShopDefinition, load_shop
from sandbox.oneentry.tokens import TokenPair, TokenStore

FIRST_ORDER_ID = 1001
FIRST_SESSION_ID = 5001
RESOURCE_IS_CLOSED = "Resource is closed"


class EmulatorState:
    """The shop definition plus run-time data: tokens, orders, sessions, faults, the request log
    and the behaviour switches currently in force.

    The methods the control API calls take its JSON fields as sent: a field left out arrives as
    None and is refused with 400. Dates of orders and sessions, token expiry and payment-link
    delays all come from `clock`, so a test can move time by hand.
    """

    def __init__(
        self,
        shop: ShopDefinition,
        access_token_ttl: float = 3600.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.shop = shop
        self.clock = clock
        self.tokens = TokenStore(access_token_ttl, clock)
        self.faults = FaultPlan()
        self.requests: list[RequestRecord] = []
        self.orders: dict[int, StoredOrder] = {}
        self.sessions: dict[int, StoredSession] = {}
        self.data: dict[str, Any] = {}
        self.behaviours: Behaviours = shop.behaviours
        # The base URL clients reach the emulator at, once it is served (serve_emulator and
        # the command line set it; otherwise the first request does).
        self.project_url: str | None = None
        self.reset()

    @classmethod
    def from_shop(
        cls,
        name_or_path: str | Path | None = None,
        access_token_ttl: float = 3600.0,
        clock: Callable[[], float] = time.time,
    ) -> EmulatorState:
        """A state playing a bundled shop (`"tea"`, `"market"`) or a definition file."""
        return cls(load_shop(name_or_path), access_token_ttl=access_token_ttl, clock=clock)

    @classmethod
    def from_seed(
        cls,
        path: str | Path | None = None,
        access_token_ttl: float = 3600.0,
        clock: Callable[[], float] = time.time,
    ) -> EmulatorState:
        """A state loaded from a definition file (the tea shop when `path` is None)."""
        return cls(load_seed(path), access_token_ttl=access_token_ttl, clock=clock)

    @property
    def seed(self) -> ShopDefinition:
        """The shop definition (its name from the one-shop days)."""
        return self.shop

    def reset(self) -> None:
        """Back to the definition: its past orders only; no tokens, faults, latency or logged
        requests; the definition's behaviours."""
        self.data = self.shop.fresh_copy()
        self.behaviours = self.shop.behaviours
        self.tokens.clear()
        self.faults.clear()
        self.faults.clear_latency()
        self.requests.clear()
        self.orders.clear()
        self.sessions.clear()
        orders, sessions = build_past_orders(self, FIRST_SESSION_ID)
        self.orders.update((order.id, order) for order in orders)
        self.sessions.update((session.id, session) for session in sessions)
        self._next_order_id = max([FIRST_ORDER_ID - 1, *self.orders]) + 1
        self._next_session_id = max([FIRST_SESSION_ID - 1, *self.sessions]) + 1

    def _entries(self, key: str) -> list[dict[str, Any]]:
        """One of the definition's lists (`users`, `products`...): shop_check checked each is a
        list of JSON objects (the optional ones may be absent)."""
        entries: list[dict[str, Any]] = self.data.get(key, [])
        return entries

    def now(self) -> float:
        return self.clock()

    def now_iso(self) -> str:
        return iso_at(self.clock())

    # -- identity and languages ---------------------------------------------------------------

    @property
    def app_token(self) -> str:
        return self.shop.app_token

    @property
    def guest_login(self) -> str:
        login: str = self.shop.guest["login"]  # shop_check: a non-empty string
        return login

    @property
    def guest_password(self) -> str:
        password: str = self.shop.guest["password"]  # shop_check: a non-empty string
        return password

    @property
    def default_lang(self) -> str:
        return self.shop.default_lang

    def active_locales(self) -> list[dict[str, Any]]:
        return self.shop.active_locales

    def bot_settings(self, project_url: str | None = None) -> dict[str, str]:
        """Every `.env` line the bot needs for this shop, as the banner prints them: the URL
        (`project_url`, else the served URL, else left out), the app token, the guest's
        credentials, then the definition's `botSettings`."""
        url = project_url or self.project_url
        settings = {"ONEENTRY_PROJECT_URL": url} if url else {}
        settings |= {
            "ONEENTRY_APP_TOKEN": self.app_token,
            "ONEENTRY_GUEST_LOGIN": self.guest_login,
            "ONEENTRY_GUEST_PASSWORD": self.guest_password,
        }
        return settings | self.shop.bot_settings

    @property
    def refresh_count(self) -> int:
        """How many refreshes succeeded since the last reset."""
        return self.tokens.refresh_count

    def auth_provider(self, marker: str) -> dict[str, Any]:
        for provider in self._entries("authProviders"):
            if provider["identifier"] == marker:
                return provider
        raise not_found(f"Auth provider '{marker}' not found")

    def user(self, user_id: int) -> dict[str, Any]:
        return next(user for user in self._entries("users") if user["id"] == user_id)

    def user_by_login(self, login: str) -> dict[str, Any]:
        return next(user for user in self._entries("users") if user["login"] == login)

    def user_group(self, user: dict[str, Any]) -> str | None:
        """The user's group: its own `userGroupIdentifier`, else its auth provider's."""
        group = user.get("userGroupIdentifier")
        if group is None:
            provider = self.auth_provider(user["authProvider"])
            group = provider.get("userGroupIdentifier")
        return group if isinstance(group, str) else None

    def can_read_products(self, user: dict[str, Any]) -> bool:
        """Whether the user's group has the right to read products (`canReadProducts`)."""
        group = self.user_group(user)
        return any(
            g["identifier"] == group and g.get("canReadProducts", False)
            for g in self._entries("userGroups")
        )

    def check_product_read(self, access_token: str | None) -> None:
        """With `productsNeedGroupRight`, a product read carrying a live user token whose group
        lacks the right is refused: 403 "Resource is closed". No token, or a dead one: allowed."""
        if not self.behaviours.products_need_group_right or access_token is None:
            return
        user_id = self.tokens.live_user(access_token)
        if user_id is not None and not self.can_read_products(self.user(user_id)):
            raise ProtocolError(403, RESOURCE_IS_CLOSED)

    def login(
        self, marker: str, auth_data: object, fingerprint: str | None
    ) -> tuple[dict[str, Any], TokenPair]:
        """Check `authData` against the provider's login/password markers and issue tokens."""
        provider = self.auth_provider(marker)
        if not isinstance(auth_data, list) or not auth_data:
            raise bad_request("authData must be a non-empty list of {marker, value}")
        values: dict[str, str] = {}
        for item in auth_data:
            if not isinstance(item, dict) or set(item) != {"marker", "value"}:
                raise bad_request("authData items must hold exactly marker and value")
            if not isinstance(item["value"], str) or not item["value"]:
                raise bad_request(f"authData value for '{item['marker']}' must not be empty")
            values[str(item["marker"])] = item["value"]
        login = values.get(provider["loginMarker"])
        password = values.get(provider["passwordMarker"])
        if login is None or password is None:
            raise bad_request("Login or password values are missed")
        for user in self._entries("users"):
            if (
                user["authProvider"] == marker
                and user["login"] == login
                and user["password"] == password
            ):
                return user, self.tokens.issue(user["id"], login, marker, fingerprint)
        raise unauthorized("Wrong login or password")

    def refresh(
        self, marker: str, refresh_token: object, fingerprint: str | None
    ) -> tuple[dict[str, Any], TokenPair]:
        """Rotate a refresh token into a new pair. The fingerprint is recorded, not checked:
        no device binding is documented (reference §1)."""
        self.auth_provider(marker)
        grant = self.tokens.redeem_refresh(refresh_token)
        user = self.user(grant.user_id)
        return user, self.tokens.issue(user["id"], user["login"], marker, fingerprint)

    def expire_access_tokens(self) -> None:
        """Every access token issued so far is expired from now on."""
        self.tokens.expire_all_access()

    # -- behaviours ---------------------------------------------------------------------------

    def set_behaviour(self, name: str, value: object) -> Behaviours:
        """Flip one switch (`"productsNeedGroupRight"`, `"paymentLinkDelaySeconds"`...) until the
        next reset; 400 naming the problem when the name or value is not valid."""
        return self.set_behaviours({name: value})

    def set_behaviours(self, changes: object) -> Behaviours:
        """Flip several switches at once, as `POST /__sandbox__/behaviours` does."""
        if not isinstance(changes, dict):
            raise bad_request("behaviours must be a JSON object of switches")
        try:
            self.behaviours = self.behaviours.with_changes(changes)
        except ValueError as exc:
            raise bad_request(str(exc)) from exc
        return self.behaviours

    def set_payment_link_delay(self, seconds: float) -> Behaviours:
        """How long new sessions of delayed-link accounts wait for their URL."""
        return self.set_behaviour("paymentLinkDelaySeconds", seconds)

    # -- faults and latency -----------------------------------------------------------------

    def add_fault(
        self,
        endpoint: str | None,
        kind: str = "status",
        status: int = 503,
        count: int = 1,
        retry_after: float | None = None,
        message: str | None = None,
    ) -> Fault:
        return self.faults.add(endpoint, kind, status, count, retry_after, message)

    def pending_faults(self) -> list[Fault]:
        return self.faults.pending()

    def clear_faults(self) -> None:
        self.faults.clear()

    def set_latency(self, endpoint: str | None, ms: float | None) -> None:
        self.faults.set_latency(endpoint, ms)

    def clear_requests(self) -> None:
        self.requests.clear()

    # -- shop data ---------------------------------------------------------------------------

    def storage(self, marker: str) -> dict[str, Any]:
        for storage in self._entries("orderStorages"):
            if storage["identifier"] == marker:
                return storage
        raise not_found(f"Order storage '{marker}' not found")

    def storage_by_id(self, storage_id: int) -> dict[str, Any]:
        return next(s for s in self._entries("orderStorages") if s["id"] == storage_id)

    def form(self, marker: str) -> dict[str, Any]:
        for form in self._entries("forms"):
            if form["identifier"] == marker:
                return form
        raise not_found(f"Form '{marker}' not found")

    def account(self, identifier: str) -> dict[str, Any]:
        for account in self._entries("paymentAccounts"):
            if account["identifier"] == identifier:
                return account
        raise not_found(f"Payment account '{identifier}' not found")

    def _resolved(self, product: dict[str, Any]) -> dict[str, Any]:
        """A copy of `product` whose `attributes` hold the shared `productAttributes` first,
        then its own, each `{type, value}` with `from` sources read now (so changing a
        product's `price` at run time changes an attribute that mirrors it)."""
        merged: dict[str, dict[str, Any]] = {
            attribute["marker"]: attribute for attribute in self._entries("productAttributes")
        }
        merged |= product.get("attributes", {})
        attributes: dict[str, dict[str, Any]] = {}
        for marker, attribute in merged.items():
            match attribute.get("from"):
                case "price":
                    value = product.get("price")
                case "currency":
                    value = self.shop.currency
                case _:
                    value = attribute.get("value")
            attributes[marker] = {"type": attribute["type"], "value": value}
        return {**product, "attributes": attributes}

    def product(self, product_id: int) -> dict[str, Any] | None:
        """A visible product, or None: invisible products do not exist for the public API.
        Products come back as copies with their attributes resolved (`_resolved`)."""
        for product in self._entries("products"):
            if product["id"] == product_id and product.get("isVisible", True):
                return self._resolved(product)
        return None

    def any_product(self, product_id: int) -> dict[str, Any] | None:
        """A product, visible or not (past orders and pictures may name hidden ones)."""
        found = next((p for p in self._entries("products") if p["id"] == product_id), None)
        return self._resolved(found) if found is not None else None

    def visible_products(self) -> list[dict[str, Any]]:
        return [self._resolved(p) for p in self._entries("products") if p.get("isVisible", True)]

    @property
    def pages(self) -> PageTree:
        """The definition's pages (none for a shop without `pages`)."""
        return PageTree(self._entries("pages"))

    def product_status(self, identifier: str | None) -> dict[str, Any] | None:
        return next(
            (s for s in self._entries("productStatuses") if s["identifier"] == identifier), None
        )

    # -- orders and sessions -----------------------------------------------------------------

    def next_order_id(self) -> int:
        order_id = self._next_order_id
        self._next_order_id += 1
        return order_id

    def store_order(self, order: StoredOrder) -> StoredOrder:
        self.orders[order.id] = order
        return order

    def order_for_user(
        self, order_id: int, user_id: int, storage_marker: str | None = None
    ) -> StoredOrder:
        """The user's own order; another user's order is as absent as a missing one (404)."""
        order = self.orders.get(order_id)
        if order is None or order.user_id != user_id:
            raise not_found(f"Order {order_id} not found")
        if storage_marker is not None and order.storage_identifier != storage_marker:
            raise not_found(f"Order {order_id} not found")
        return order

    def orders_in_list_order(self, orders: list[StoredOrder]) -> list[StoredOrder]:
        """`orders` in the order `GET .../orders` lists them (`behaviours.orderListOrder`)."""
        newest_first = self.behaviours.order_list_order == "newest_first"
        return sorted(orders, key=lambda o: (o.created_date, o.id), reverse=newest_first)

    def _order(self, order_id: int) -> StoredOrder:
        order = self.orders.get(order_id)
        if order is None:
            raise not_found(f"Order {order_id} not found")
        return order

    def set_order_status(self, order_id: int, identifier: str | None) -> StoredOrder:
        """Staff moving an order to another status of its storage."""
        order = self._order(order_id)
        statuses = self.storage_by_id(order.storage_id)["orderStatuses"]
        known: set[str] = {s["identifier"] for s in statuses}
        if identifier not in known:
            raise bad_request(f"Unknown order status '{identifier}'")
        order.status_identifier = identifier
        return order

    def set_order_payment_status(self, order_id: int, identifier: str | None) -> StoredOrder:
        """The payment provider or staff changing an order's payment status."""
        order = self._order(order_id)
        statuses = self.storage_by_id(order.storage_id)["paymentStatuses"]
        status = next((s for s in statuses if s["identifier"] == identifier), None)
        if status is None:
            raise bad_request(f"Unknown payment status '{identifier}'")
        order.payment_status_identifier = status["identifier"]  # equal to `identifier`
        if status.get("isPaid"):
            order.is_completed = True
        return order

    def next_session_id(self) -> int:
        session_id = self._next_session_id
        self._next_session_id += 1
        return session_id

    def store_session(self, session: StoredSession) -> StoredSession:
        self.sessions[session.id] = session
        return session

    def session(self, session_id: int) -> StoredSession:
        session = self.sessions.get(session_id)
        if session is None:
            raise not_found(f"Payment session {session_id} not found")
        return session

    def set_session_status(self, session_id: int, status: str | None) -> StoredSession:
        """Change a session's status; a paid status (`sessionStatuses.paid` or one of
        `alsoPaid`) also marks its order paid."""
        if not isinstance(status, str) or not status:
            raise bad_request("status must be a non-empty string")
        session = self.session(session_id)
        session.status = status
        session.updated_date = self.now_iso()
        if status in self.behaviours.session_statuses.paid_names:
            self._mark_order_paid(session.order_id)
        return session

    def is_paid(self, session: StoredSession) -> bool:
        return session.status in self.behaviours.session_statuses.paid_names

    def is_open(self, session: StoredSession) -> bool:
        """Still waiting for the customer: in the shop's initial session status."""
        return session.status == self.behaviours.session_statuses.initial

    def pay_session(self, session_id: int) -> StoredSession:
        """What the payment page does on "Pay": idempotent; a closed session cannot be paid."""
        session = self.session(session_id)
        if self.is_paid(session):
            return session
        if not self.is_open(session):
            raise ProtocolError(409, f"Payment session {session_id} is {session.status}")
        return self.set_session_status(session_id, self.behaviours.session_statuses.paid)

    def cancel_session(self, session_id: int) -> StoredSession:
        """What the payment page does on "Cancel"; a paid or closed session stays as it is."""
        session = self.session(session_id)
        if self.is_open(session):
            return self.set_session_status(session_id, self.behaviours.session_statuses.canceled)
        return session

    def expire_session(self, session_id: int) -> StoredSession:
        """The gateway giving up on an open session (`sessionStatuses.expired`); a paid or
        closed session stays as it is."""
        session = self.session(session_id)
        if self.is_open(session):
            return self.set_session_status(session_id, self.behaviours.session_statuses.expired)
        return session

    def _mark_order_paid(self, order_id: int) -> None:
        order = self._order(order_id)
        statuses = self.storage_by_id(order.storage_id)["paymentStatuses"]
        paid = next(s for s in statuses if s.get("isPaid"))
        order.payment_status_identifier = paid["identifier"]
        order.is_completed = True

    # -- payment links --------------------------------------------------------------------

    def publish_payment_link(self, session_id: int) -> StoredSession:
        """Make a delayed link appear now, as the gateway eventually does; idempotent. 400 for a
        session whose account gives no link at all (cash)."""
        session = self.session(session_id)
        if session.pending_url is None and session.payment_url is None:
            raise bad_request(f"Payment session {session_id} has no payment link")
        if session.pending_url is not None:
            self._publish(session)
        return session

    def publish_due_links(self) -> None:
        """Publish every delayed link whose time has come (called before session and order
        reads, so a link appears `paymentLinkDelaySeconds` after its session was created)."""
        now = self.clock()
        for session in self.sessions.values():
            if session.pending_url is not None and (session.link_at or 0) <= now:
                self._publish(session)

    def _publish(self, session: StoredSession) -> None:
        session.payment_url, session.pending_url, session.link_at = session.pending_url, None, None
        session.updated_date = self.now_iso()
        order = self.orders.get(session.order_id)
        if order is not None:
            order.payment_url = session.payment_url
