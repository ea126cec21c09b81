"""Pydantic models of the OneEntry entities the bot uses, one module per API area."""

from .attribute_sets import SetAttribute
from .auth import AuthTokens
from .common import ApiErrorBody, FileObject, LocalizeInfos, Page
from .forms import Form, FormAttribute
from .locales import Locale
from .orders import (
    CreatedOrder,
    FormField,
    Order,
    OrderCreate,
    OrderLine,
    OrderProduct,
    OrderStatus,
    OrderStorage,
    OrderUpdate,
)
from .pages import CATALOG_PAGE_TYPE, ContentPage
from .payments import PaymentAccount, PaymentSession, PaymentSessionList
from .products import AttributeValue, Product, ProductSearchHit, ProductStatus

__all__ = [
    "CATALOG_PAGE_TYPE",
    "ApiErrorBody",
    "AttributeValue",
    "AuthTokens",
    "ContentPage",
    "CreatedOrder",
    "FileObject",
    "Form",
    "FormAttribute",
    "FormField",
    "Locale",
    "LocalizeInfos",
    "Order",
    "OrderCreate",
    "OrderLine",
    "OrderProduct",
    "OrderStatus",
    "OrderStorage",
    "OrderUpdate",
    "Page",
    "PaymentAccount",
    "PaymentSession",
    "PaymentSessionList",
    "Product",
    "ProductSearchHit",
    "ProductStatus",
    "SetAttribute",
]
