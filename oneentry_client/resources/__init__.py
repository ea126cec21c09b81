"""Resource groups, one per OneEntry SDK module; their methods only describe calls."""

from .auth_providers import AuthProvidersResource
from .forms import FormsResource
from .orders import OrdersResource
from .payments import PaymentsResource
from .products import ProductsResource

__all__ = [
    "AuthProvidersResource",
    "FormsResource",
    "OrdersResource",
    "PaymentsResource",
    "ProductsResource",
]
