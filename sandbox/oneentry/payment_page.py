"""The emulator's stand-in for the gateway's checkout (Stripe, PayPal): `/pay/{session_id}`.

The real public API cannot change a payment session; the gateway does. This page is where that
happens locally: "Pay" moves the session to the shop's paid status (`sessionStatuses.paid`) and
marks the order paid, "Cancel" moves it to `sessionStatuses.canceled`. Both are idempotent, so
a customer double-clicking changes nothing. The page is not part of the API, so unlike the API
it shows a product title in another language when the page's language has none.
"""

from __future__ import annotations

from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse

from sandbox.oneentry.errors import ProtocolError
from sandbox.oneentry.http_helpers import path_int, state_of
from sandbox.oneentry.records import OrderLine, StoredSession
from sandbox.oneentry.state import EmulatorState

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}table{width:100%;border-collapse:collapse;margin:1rem 0}
td{padding:.3rem 0;border-bottom:1px solid #eee}td.n{text-align:right}
.total{font-weight:bold}button{font-size:1.1rem;padding:.6rem 2rem;background:#635bff;
color:#fff;border:0;border-radius:6px;cursor:pointer}a{color:#635bff;margin-left:1rem}
.note{color:#666;font-size:.9rem}
"""


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    html = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body>{body}</body></html>"
    )
    return HTMLResponse(html, status_code=status)


def _message(title: str, text: str, status: int = 200) -> HTMLResponse:
    return _page(title, f"<h1>{escape(title)}</h1><p>{escape(text)}</p>", status)


def _title(line: OrderLine, lang: str) -> str:
    """The line's title in `lang`, else in any language (a page for people, not the API)."""
    infos = [line.titles.get(lang, {}), *line.titles.values()]
    return next((str(info["title"]) for info in infos if info.get("title")), "")


def _session_or_page(request: Request) -> tuple[EmulatorState, StoredSession | None]:
    state = state_of(request)
    session_id = path_int(request, "session_id")
    session = state.sessions.get(session_id)
    return state, session


async def show(request: Request) -> HTMLResponse:
    """The checkout page: order number, items, total, "Pay" and "Cancel"."""
    state, session = _session_or_page(request)
    if session is None:
        return _message("Payment not found", "This payment link is not valid.", 404)
    order = state.orders[session.order_id]
    if state.is_paid(session):
        return _message("Already paid", "Paid, you can return to Telegram.")
    if not state.is_open(session):
        return _message("Payment closed", f"This payment was {session.status}.", 409)
    lang = request.query_params.get("lang", order.form_lang)
    currency = escape(order.currency.upper())
    rows = "".join(
        f"<tr><td>{escape(_title(line, lang))} × {line.quantity}</td>"
        f"<td class='n'>{line.price * line.quantity:.2f} {currency}</td></tr>"
        for line in order.lines
    )
    body = (
        f"<h1>Order #{order.id}</h1><table>{rows}"
        f"<tr class='total'><td>Total</td><td class='n'>{order.total_sum:.2f} {currency}</td></tr>"
        f"</table><form method='post' action='/pay/{session.id}'>"
        f"<button type='submit'>Pay</button><a href='/pay/{session.id}/cancel'>Cancel</a></form>"
        "<p class='note'>Sandbox payment page: no card is charged.</p>"
    )
    return _page(f"Pay for order #{order.id}", body)


async def pay(request: Request) -> HTMLResponse:
    """ "Pay": the session becomes paid, and so does the order; paying twice is harmless."""
    state, session = _session_or_page(request)
    if session is None:
        return _message("Payment not found", "This payment link is not valid.", 404)
    try:
        state.pay_session(session.id)
    except ProtocolError as exc:
        return _message("Payment closed", exc.message, exc.status)
    return _message("Payment received", "Paid, you can return to Telegram.")


async def cancel(request: Request) -> HTMLResponse:
    """ "Cancel": the session becomes canceled unless it was already paid."""
    state, session = _session_or_page(request)
    if session is None:
        return _message("Payment not found", "This payment link is not valid.", 404)
    session = state.cancel_session(session.id)
    if state.is_paid(session):
        return _message("Already paid", "Paid, you can return to Telegram.")
    return _message("Payment canceled", "You can return to Telegram.")
