"""`python bot.py check`: the operator's tool that says what is wrong with the setup.

It talks to Telegram and OneEntry directly (it is not a handler) and changes nothing: no order,
no payment session, no file left behind; the only writes OneEntry sees are the guest login.
"""

from application.setup_check.report import exit_code, render_report
from application.setup_check.results import CheckResult, Status
from application.setup_check.runner import check_environment, run_setup_check

__all__ = [
    "CheckResult",
    "Status",
    "check_environment",
    "exit_code",
    "render_report",
    "run_setup_check",
]
