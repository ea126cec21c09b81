"""Resource groups, one per OneEntry SDK module; their methods only describe calls."""

from .attribute_sets import AttributeSetsResource
from .auth_providers import AuthProvidersResource
from .forms import FormsResource
from .locales import LocalesResource
from .orders import OrdersResource
from .pages import PagesResource
from .payments import PaymentsResource
from .products import ProductsResource

__all__ = [
    "AttributeSetsResource",
    "AuthProvidersResource",
    "FormsResource",
    "LocalesResource",
    "OrdersResource",
    "PagesResource",
    "PaymentsResource",
    "ProductsResource",
]
