"""`Payments` module: payment sessions and accounts."""

from __future__ import annotations

from typing import Literal

from .._call import ApiCall, AuthMode
from ..models import Page, PaymentAccount, PaymentSession, PaymentSessionList
from ..retry import RetryPolicy
from ._base import Resource, require_id

__all__ = ["PaymentsResource"]

_BASE = "/api/content/payments"


class PaymentsResource(Resource):
    """Payment calls; all need the guest user."""

    async def create_session(
        self,
        order_id: int,
        *,
        type: Literal["session", "intent"] = "session",
        automatic_tax_enabled: bool = False,
    ) -> PaymentSession:
        """`POST /payments/sessions`. Never retried: a replay could open a second session.

        Raises OutcomeUnknownError when the connection failed after the request was sent.
        """
        body = {
            "orderId": require_id(order_id, "order_id"),
            "type": type,
            "automaticTaxEnabled": automatic_tax_enabled,
        }
        call = ApiCall(
            "POST", f"{_BASE}/sessions", json=body, auth=AuthMode.USER, retry=RetryPolicy.NEVER
        )
        return await self._request(call, PaymentSession)

    async def get_session(self, session_id: int) -> PaymentSession:
        """`GET /payments/sessions/{id}`."""
        path = f"{_BASE}/sessions/{require_id(session_id, 'session_id')}"
        return await self._request(self._get(path), PaymentSession)

    async def sessions_for_order(self, order_id: int) -> list[PaymentSession]:
        """`GET /payments/sessions/order/{orderId}`: an array (a single object is accepted too)."""
        path = f"{_BASE}/sessions/order/{require_id(order_id, 'order_id')}"
        return await self._request(self._get(path), PaymentSessionList)

    async def list_sessions(self, *, offset: int = 0, limit: int = 30) -> Page[PaymentSession]:
        """`GET /payments/sessions/?offset=&limit=` (the SDK's trailing slash kept)."""
        call = self._get(f"{_BASE}/sessions/", {"offset": offset, "limit": limit})
        return await self._request(call, Page[PaymentSession])

    async def accounts(self, *, lang: str | None = None) -> list[PaymentAccount]:
        """`GET /payments/accounts`: the project's payment accounts. The SDK sends no langCode
        and unwraps language-keyed titles itself; `lang` asks for (and unwraps) one language."""
        params = {"langCode": lang} if lang else None
        call = ApiCall(
            "GET", f"{_BASE}/accounts", params=params, auth=AuthMode.USER, lang=lang or self._lang
        )
        return await self._request(call, list[PaymentAccount])

    def _get(self, path: str, params: dict[str, int] | None = None) -> ApiCall:
        return ApiCall("GET", path, params=params, auth=AuthMode.USER, lang=self._lang)
