"""What customers and staff type after a command, read strictly.

`str.isdigit()` also accepts '²' or Arabic-Indic digits, which `int()` then refuses or reads
as another number: only ASCII digits are a number here, and anything else is no number at all
(the handler answers with its usage or its list), never an error.
"""

from __future__ import annotations

import re

_NUMBER = re.compile(r"#?([0-9]{1,9})")


def order_number(text: str | None) -> int | None:
    """`12`, `#12` → 12; anything else → None."""
    match = _NUMBER.fullmatch((text or "").strip())
    return int(match.group(1)) if match else None
