"""What every resource call goes through: log in if needed, send, recover from one 401, parse."""

from __future__ import annotations

from typing import TypeVar

from ._auth_state import AuthState
from ._authenticator import Authenticator
from ._call import ApiCall, AuthMode
from ._requester import Requester

__all__ = ["Pipeline"]

ResultT = TypeVar("ResultT")


class Pipeline:
    """Composes the requester (wire) and the authenticator (session) for resource methods.

    Public reads carry the held Bearer, as the SDK sends it. A project whose guest user group
    may not read the catalog answers those 403 "Resource is closed" while the same read with
    no token works: such a read is sent again without the token, and from then on public
    reads go without it.
    """

    def __init__(
        self, requester: Requester, authenticator: Authenticator, state: AuthState
    ) -> None:
        self._requester = requester
        self._authenticator = authenticator
        self._state = state
        self._public_reads_without_token = False

    async def request(self, call: ApiCall, cast_to: type[ResultT]) -> ResultT:
        """Send `call` and return its body validated as `cast_to`, or raise a OneEntryError.

        A 401 triggers one refresh (or re-login) and one replay; a second 401 is raised as
        AuthenticationError.
        """
        if call.auth is AuthMode.USER:
            await self._authenticator.ensure_logged_in()
        recovered = False
        while True:
            sent_with = self._state.snapshot()
            token = sent_with.access_token
            if call.auth is AuthMode.OPTIONAL and self._public_reads_without_token:
                token = None
            response = await self._requester.send(call, token)
            if response.status_code == 401 and call.recover_auth and not recovered:
                recovered = True
                await self._authenticator.recover(sent_with.generation)
                continue
            if response.status_code == 403 and call.auth is AuthMode.OPTIONAL and token:
                self._public_reads_without_token = True
                continue
            self._requester.raise_for_status(call, response)
            return self._requester.parse(call, response, cast_to)
