"""Public catalogue endpoints: products, product statuses, forms, locales, product pictures.

No user is needed here; a Bearer header, even an expired one, is ignored (the reference leaves
the real behaviour open; ignoring it keeps the SDK out of a refresh for public reads) -- except
that with `behaviours.productsNeedGroupRight` a product read carrying a live user token whose
group lacks the right answers 403 "Resource is closed" (reference, Cautions).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from sandbox.oneentry.catalog_views import (
    product_pages,
    product_title,
    render_form,
    render_locale,
    render_product,
    render_product_status,
    render_set_attribute,
)
from sandbox.oneentry.errors import bad_request, not_found
from sandbox.oneentry.http_helpers import (
    access_token_of,
    base_url,
    int_param,
    json_body,
    path_int,
    request_lang,
    state_of,
)
from sandbox.oneentry.images import solid_png
from sandbox.oneentry.page_tree import product_in_page
from sandbox.oneentry.product_query import filters_of, select_products
from sandbox.oneentry.state import EmulatorState


def _render(state: EmulatorState, product: dict[str, Any], lang: str, url: str) -> dict[str, Any]:
    status = state.product_status(product.get("statusIdentifier"))
    return render_product(product, status, lang, url, state.pages)


def _product_state(request: Request) -> EmulatorState:
    """The state, once the caller's user group may read products."""
    state = state_of(request)
    state.check_product_read(access_token_of(request))
    return state


async def _listing(request: Request, products: list[dict[str, Any]]) -> JSONResponse:
    """`{items, total}`: `products` filtered by the body and query, sorted, one page of them."""
    state = state_of(request)
    lang = request_lang(request)
    filters = filters_of(await json_body(request))
    offset = int_param(request, "offset", 0)
    limit = int_param(request, "limit", 30)
    selected = select_products(products, filters, request.query_params, lang)
    url = base_url(request)
    page = [_render(state, p, lang, url) for p in selected[offset : offset + limit]]
    return JSONResponse({"items": page, "total": len(selected)})


async def list_products(request: Request) -> JSONResponse:
    """`POST /products/all?offset&limit&sortKey&sortOrder&statusMarker&langCode`: a page."""
    return await _listing(request, _product_state(request).visible_products())


async def products_of_page_url(request: Request) -> JSONResponse:
    """`POST /products/page/url/{url}`: the page's own products (not its sub-pages'), paged
    like `/products/all`; 404 for a page the project does not have."""
    state = _product_state(request)
    page = state.pages.by_url(request.path_params["url"])
    if page is None:
        raise not_found("Page not found")
    return await _listing(
        request, [p for p in state.visible_products() if product_in_page(p, page)]
    )


async def products_of_page_id(request: Request) -> JSONResponse:
    """`POST /products/page/{id}`: as by url, the page named by its id."""
    state = _product_state(request)
    page = state.pages.by_id(path_int(request, "page_id"))
    if page is None:
        raise not_found("Page not found")
    return await _listing(
        request, [p for p in state.visible_products() if product_in_page(p, page)]
    )


async def product_by_id(request: Request) -> JSONResponse:
    state = _product_state(request)
    product_id = path_int(request, "product_id")
    product = state.product(product_id)
    if product is None:
        raise not_found(f"Product {product_id} not found")
    return JSONResponse(_render(state, product, request_lang(request), base_url(request)))


async def products_by_ids(request: Request) -> JSONResponse:
    """`GET /products/ids?ids=1,2`: a bare array in the order asked; unknown ids are left out."""
    state = _product_state(request)
    raw = request.query_params.get("ids", "")
    try:
        ids = [int(part) for part in raw.split(",") if part.strip()]
    except ValueError as exc:
        raise bad_request("ids must be a comma-separated list of integers") from exc
    if not ids:
        raise bad_request("ids must not be empty")
    lang, url = request_lang(request), base_url(request)
    found = [state.product(product_id) for product_id in ids]
    return JSONResponse([_render(state, p, lang, url) for p in found if p is not None])


async def quick_search(request: Request) -> JSONResponse:
    """`GET /products/quick/search?name=`: `[{id, title, pageId}]` by title in the language."""
    state = _product_state(request)
    lang = request_lang(request)
    name = request.query_params.get("name", "").strip().lower()
    if not name:
        return JSONResponse([])
    hits = [p for p in state.visible_products() if name in product_title(p, lang).lower()]
    pages = state.pages
    return JSONResponse(
        [
            {
                "id": p["id"],
                "title": product_title(p, lang),
                "pageId": product_pages(p, pages)[0]["pageId"] if p.get("categories") else None,
            }
            for p in hits
        ]
    )


async def set_attributes(request: Request) -> JSONResponse:
    """`GET /attributes-sets/{marker}/attributes?langCode`: a bare array by position; 404
    "Attribute set not found" for a set the project does not have."""
    state = state_of(request)
    marker = request.path_params["marker"]
    found = next(
        (s for s in state.data.get("attributeSets", []) if s["identifier"] == marker), None
    )
    if found is None:
        raise not_found("Attribute set not found")
    lang = request_lang(request)
    attributes = sorted(found["attributes"], key=lambda a: a.get("position", 0))
    return JSONResponse([render_set_attribute(a, lang) for a in attributes])


async def product_statuses(request: Request) -> JSONResponse:
    """`GET /product-statuses`: a bare array; lang-keyed titles unless `langCode` is given."""
    state = state_of(request)
    lang = request.query_params.get("langCode")
    return JSONResponse([render_product_status(s, lang) for s in state.data["productStatuses"]])


async def list_forms(request: Request) -> JSONResponse:
    """`GET /forms?langCode&offset&limit`: `{items, total}`."""
    state = state_of(request)
    lang = request_lang(request)
    offset = int_param(request, "offset", 0)
    limit = int_param(request, "limit", 30)
    forms = state.data["forms"]
    items = [render_form(f, lang) for f in forms[offset : offset + limit]]
    return JSONResponse({"items": items, "total": len(forms)})


async def form_by_marker(request: Request) -> JSONResponse:
    form = state_of(request).form(request.path_params["marker"])
    return JSONResponse(render_form(form, request_lang(request)))


async def active_locales(request: Request) -> JSONResponse:
    """`GET /locales/active/all`: a bare array of the project's active languages."""
    return JSONResponse([render_locale(locale) for locale in state_of(request).active_locales()])


async def product_image(request: Request) -> Response:
    """A product's picture, generated; 404 for unknown products."""
    state = state_of(request)
    product_id = path_int(request, "product_id")
    product = state.any_product(product_id)
    if product is None:
        raise not_found(f"File for product {product_id} not found")
    color = product.get("imageColor", "")
    filename = request.path_params["filename"]
    if filename.startswith("gallery-") and filename.endswith(".png"):
        number = filename.removeprefix("gallery-").removesuffix(".png")
        gallery = product.get("gallery", [])
        if not number.isdigit() or not 1 <= int(number) <= len(gallery):
            raise not_found(f"File {filename} not found")
        color = gallery[int(number) - 1]
    return Response(solid_png(color), media_type="image/png")
