"""`EmulatorState`: everything the emulated project knows, with the operations on it.

Endpoints and control calls act on one explicit state object; tests use the same methods
in-process (add a fault, pay a session, expire tokens) and read `orders`/`requests` directly.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sandbox.oneentry.errors import ProtocolError, bad_request, iso_now, not_found, unauthorized
from sandbox.oneentry.faults import Fault, FaultPlan
from sandbox.oneentry.records import StoredOrder, StoredSession
from sandbox.oneentry.request_log import RequestRecord
from sandbox.oneentry.seed import Seed, load_seed
from sandbox.oneentry.tokens import TokenPair, TokenStore

PAID_SESSION_STATUSES = frozenset({"completed", "paid"})
FIRST_ORDER_ID = 1001
FIRST_SESSION_ID = 5001


class EmulatorState:
    """The seeded shop plus run-time data: tokens, orders, sessions, faults and the request log.

    The methods the control API calls take its JSON fields as sent: a field left out arrives as
    None and is refused with 400.
    """

    def __init__(
        self, seed: Seed, access_token_ttl: float = 3600.0, clock: Callable[[], float] = time.time
    ) -> None:
        self.seed = seed
        self.tokens = TokenStore(access_token_ttl, clock)
        self.faults = FaultPlan()
        self.requests: list[RequestRecord] = []
        self.orders: dict[int, StoredOrder] = {}
        self.sessions: dict[int, StoredSession] = {}
        self.data: dict[str, Any] = {}
        self.reset()

    @classmethod
    def from_seed(
        cls,
        path: str | Path | None = None,
        access_token_ttl: float = 3600.0,
        clock: Callable[[], float] = time.time,
    ) -> EmulatorState:
        """A state loaded from a seed file (the bundled demo shop when `path` is None)."""
        return cls(load_seed(path), access_token_ttl=access_token_ttl, clock=clock)

    def reset(self) -> None:
        """Back to the seed: no orders, sessions, tokens, faults, latency or logged requests."""
        self.data = self.seed.fresh_copy()
        self.tokens.clear()
        self.faults.clear()
        self.faults.clear_latency()
        self.requests.clear()
        self.orders.clear()
        self.sessions.clear()
        self._next_order_id = FIRST_ORDER_ID
        self._next_session_id = FIRST_SESSION_ID

    def _entries(self, key: str) -> list[dict[str, Any]]:
        """One of the seed's lists (`users`, `products`...): load_seed checked each is a list
        of JSON objects."""
        entries: list[dict[str, Any]] = self.data[key]
        return entries

    # -- identity ---------------------------------------------------------------------------

    @property
    def app_token(self) -> str:
        return self.seed.app_token

    @property
    def guest_login(self) -> str:
        login: str = self.seed.guest["login"]  # load_seed checked: a non-empty string
        return login

    @property
    def guest_password(self) -> str:
        password: str = self.seed.guest["password"]  # load_seed checked: a non-empty string
        return password

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
        """Rotate a refresh token into a new pair."""
        self.auth_provider(marker)
        grant = self.tokens.redeem_refresh(refresh_token, fingerprint)
        user = self.user(grant.user_id)
        return user, self.tokens.issue(user["id"], user["login"], marker, grant.fingerprint)

    def expire_access_tokens(self) -> None:
        """Every access token issued so far is expired from now on."""
        self.tokens.expire_all_access()

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

    def product(self, product_id: int) -> dict[str, Any] | None:
        """A visible product, or None: invisible products do not exist for the public API."""
        for product in self._entries("products"):
            if product["id"] == product_id and product.get("isVisible", True):
                return product
        return None

    def visible_products(self) -> list[dict[str, Any]]:
        return [p for p in self._entries("products") if p.get("isVisible", True)]

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
        """Change a session's status; "completed" (or "paid") also marks its order paid."""
        if not isinstance(status, str) or not status:
            raise bad_request("status must be a non-empty string")
        session = self.session(session_id)
        session.status = status
        session.updated_date = iso_now()
        if status in PAID_SESSION_STATUSES:
            self._mark_order_paid(session.order_id)
        return session

    def pay_session(self, session_id: int) -> StoredSession:
        """What the payment page does on "Pay": idempotent; a canceled session cannot be paid."""
        session = self.session(session_id)
        if session.status in PAID_SESSION_STATUSES:
            return session
        if session.status != "waiting":
            raise ProtocolError(409, f"Payment session {session_id} is {session.status}")
        return self.set_session_status(session_id, "completed")

    def cancel_session(self, session_id: int) -> StoredSession:
        """What the payment page does on "Cancel"; a paid session stays paid."""
        session = self.session(session_id)
        if session.status == "waiting":
            return self.set_session_status(session_id, "canceled")
        return session

    def _mark_order_paid(self, order_id: int) -> None:
        order = self._order(order_id)
        statuses = self.storage_by_id(order.storage_id)["paymentStatuses"]
        paid = next(s for s in statuses if s.get("isPaid"))
        order.payment_status_identifier = paid["identifier"]
        order.is_completed = True
