"""The Pages module (`/api/content/pages`): the project's pages, catalog pages among them.

Bare arrays for lists (`/pages`, `/pages/root`, `/pages/{url}/children`), one page object
for `/pages/url/{url}` and `/pages/{id}`; 404 "Page not found" for a page the project does not
have (or that is hidden, or under a hidden page). No user is needed, as for products.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from sandbox.oneentry.catalog_views import render_page
from sandbox.oneentry.errors import not_found
from sandbox.oneentry.http_helpers import path_int, request_lang, state_of
from sandbox.oneentry.state import EmulatorState


def _rendered(state: EmulatorState, pages: list[dict[str, Any]], lang: str) -> JSONResponse:
    tree, products = state.pages, state.visible_products()
    return JSONResponse([render_page(page, tree, products, lang) for page in pages])


def _one(state: EmulatorState, page: dict[str, Any] | None, lang: str) -> JSONResponse:
    if page is None:
        raise not_found("Page not found")
    return JSONResponse(render_page(page, state.pages, state.visible_products(), lang))


async def all_pages(request: Request) -> JSONResponse:
    """`GET /pages?langCode`: every visible page, by depth and position."""
    state = state_of(request)
    return _rendered(state, state.pages.visible(), request_lang(request))


async def root_pages(request: Request) -> JSONResponse:
    """`GET /pages/root?langCode`: the top-level pages (`parentId` null)."""
    state = state_of(request)
    return _rendered(state, state.pages.roots(), request_lang(request))


async def child_pages(request: Request) -> JSONResponse:
    """`GET /pages/{url}/children?langCode`: the page's visible sub-pages, by position."""
    state = state_of(request)
    parent = state.pages.by_url(request.path_params["url"])
    if parent is None:
        raise not_found("Page not found")
    return _rendered(state, state.pages.children(parent), request_lang(request))


async def page_by_url(request: Request) -> JSONResponse:
    """`GET /pages/url/{url}?langCode`."""
    state = state_of(request)
    return _one(state, state.pages.by_url(request.path_params["url"]), request_lang(request))


async def page_by_id(request: Request) -> JSONResponse:
    """`GET /pages/{id}?langCode`."""
    state = state_of(request)
    page = state.pages.by_id(path_int(request, "page_id"))
    return _one(state, page, request_lang(request))
