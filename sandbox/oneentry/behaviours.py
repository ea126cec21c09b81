"""The behaviour switches of a shop definition: where real OneEntry projects differ.

Each switch is one key of the definition's `behaviours` object; every key is optional and the
defaults are the tea shop's behaviour. `check_behaviours` names every problem (unknown keys
too, so a typo does not silently fall back to a default); `Behaviours` is the checked value the
emulator acts on, changeable at run time through `EmulatorState.set_behaviour` or
`POST /__sandbox__/behaviours`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

ORDER_LIST_ORDERS = ("newest_first", "oldest_first")
SESSION_STATUS_ROLES = ("initial", "paid", "canceled", "expired")


@dataclass(frozen=True)
class SessionStatuses:
    """The payment-session status names of one shop, by role.

    `initial`: a new session; `paid`: what the payment page's "Pay" sets; `canceled`: what its
    "Cancel" link sets; `expired`: what `expire_session` sets. `also_paid`: other names that,
    set through the control API, count as paid too (the order is marked paid).
    """

    initial: str = "waiting"
    paid: str = "completed"
    canceled: str = "canceled"
    expired: str = "expired"
    also_paid: tuple[str, ...] = ("paid",)

    @property
    def paid_names(self) -> frozenset[str]:
        return frozenset({self.paid, *self.also_paid})

    def to_json(self) -> dict[str, Any]:
        return {
            "initial": self.initial,
            "paid": self.paid,
            "canceled": self.canceled,
            "expired": self.expired,
            "alsoPaid": list(self.also_paid),
        }


@dataclass(frozen=True)
class Behaviours:
    """The checked switches; see sandbox/oneentry/README.md for what each one stands for."""

    order_list_order: str = "newest_first"
    form_data_as_language_map: bool = False
    payment_link_delay_seconds: float = 0.0
    session_statuses: SessionStatuses = field(default_factory=SessionStatuses)
    products_need_group_right: bool = False

    def to_json(self) -> dict[str, Any]:
        """The switches as the definition spells them."""
        return {
            "orderListOrder": self.order_list_order,
            "formDataAsLanguageMap": self.form_data_as_language_map,
            "paymentLinkDelaySeconds": self.payment_link_delay_seconds,
            "sessionStatuses": self.session_statuses.to_json(),
            "productsNeedGroupRight": self.products_need_group_right,
        }

    def with_changes(self, changes: dict[str, Any]) -> Behaviours:
        """These behaviours with some switches changed; ValueError naming every bad one."""
        problems = check_behaviours(changes)
        if problems:
            raise ValueError("; ".join(problems))
        changed = _apply(self, changes)
        statuses = changed.session_statuses
        roles = (statuses.initial, statuses.paid, statuses.canceled, statuses.expired)
        if len(set(roles)) != len(roles):
            raise ValueError("behaviours.sessionStatuses: the roles need different status names")
        return changed


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_session_statuses(value: object, where: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{where} must be an object with {', '.join(SESSION_STATUS_ROLES)}"]
    problems: list[str] = []
    for key in value:
        if key not in (*SESSION_STATUS_ROLES, "alsoPaid"):
            problems.append(f"{where}.{key} is not a session status role")
    names: list[str] = []
    for role in SESSION_STATUS_ROLES:
        name = value.get(role)
        if role in value and not (isinstance(name, str) and name):
            problems.append(f"{where}.{role} must be a non-empty string")
        elif isinstance(name, str):
            names.append(name)
    if len(set(names)) != len(names):
        problems.append(f"{where}: the roles need different status names")
    also = value.get("alsoPaid", [])
    if not isinstance(also, list) or not all(isinstance(x, str) and x for x in also):
        problems.append(f"{where}.alsoPaid must be a list of non-empty strings")
    return problems


def check_behaviours(value: object, where: str = "behaviours") -> list[str]:
    """Every problem with a `behaviours` object (or a partial change of one)."""
    if not isinstance(value, dict):
        return [f'"{where}" must be an object']
    problems: list[str] = []
    for key, item in value.items():
        at = f"{where}.{key}"
        match key:
            case "orderListOrder":
                if item not in ORDER_LIST_ORDERS:
                    problems.append(f"{at} must be one of {', '.join(ORDER_LIST_ORDERS)}")
            case "formDataAsLanguageMap" | "productsNeedGroupRight":
                if not isinstance(item, bool):
                    problems.append(f"{at} must be true or false")
            case "paymentLinkDelaySeconds":
                if not _is_number(item) or item < 0:
                    problems.append(f"{at} must be a non-negative number of seconds")
            case "sessionStatuses":
                problems.extend(_check_session_statuses(item, at))
            case _:
                problems.append(f"{at} is not a behaviour switch")
    return problems


def _apply(base: Behaviours, changes: dict[str, Any]) -> Behaviours:
    result = base
    if "orderListOrder" in changes:
        result = replace(result, order_list_order=changes["orderListOrder"])
    if "formDataAsLanguageMap" in changes:
        result = replace(result, form_data_as_language_map=changes["formDataAsLanguageMap"])
    if "paymentLinkDelaySeconds" in changes:
        delay = float(changes["paymentLinkDelaySeconds"])
        result = replace(result, payment_link_delay_seconds=delay)
    if "productsNeedGroupRight" in changes:
        result = replace(result, products_need_group_right=changes["productsNeedGroupRight"])
    if "sessionStatuses" in changes:
        raw = changes["sessionStatuses"]
        current = result.session_statuses
        statuses = SessionStatuses(
            initial=raw.get("initial", current.initial),
            paid=raw.get("paid", current.paid),
            canceled=raw.get("canceled", current.canceled),
            expired=raw.get("expired", current.expired),
            also_paid=tuple(raw.get("alsoPaid", current.also_paid)),
        )
        result = replace(result, session_statuses=statuses)
    return result


def behaviours_of(value: dict[str, Any]) -> Behaviours:
    """The checked `behaviours` object of a definition (check it with `check_behaviours`)."""
    return _apply(Behaviours(), value)
