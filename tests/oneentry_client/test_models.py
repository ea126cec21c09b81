"""Every response quirk the reference lists, parsed from raw JSON as OneEntry sends it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from oneentry_client import (
    CreatedOrder,
    Form,
    FormAttribute,
    Order,
    OrderCreate,
    OrderProduct,
    OrderStorage,
    OrderUpdate,
    Page,
    PaymentAccount,
    Product,
    ProductStatus,
)
from oneentry_client._normalize import unwrap_language
from oneentry_client.models import ApiErrorBody, AuthTokens, FormField, PaymentSessionList

PRODUCT_JSON = """
{"id":2954,"attributeSetIdentifier":"products","localizeInfos":{"title":"Box"},
 "statusIdentifier":"sale","statusLocalizeInfos":{"title":"Sale"},"isVisible":true,
 "position":1,"templateIdentifier":null,"shortDescTemplateIdentifier":"product_preview",
 "price":51,"additional":{"prices":{"min":51,"max":150}},"sku":null,"isSync":true,
 "categories":["catalog"],"paymentStages":null,"rating":{},
 "attributeValues":{
   "product-name":{"type":"string","value":"product-name","isIcon":false,"position":0,"additionalFields":{},"isProductPreview":false},
   "price":{"type":"integer","value":51,"isIcon":false,"position":1,"additionalFields":{},"isProductPreview":false},
   "currency_products":{"type":"string","value":"usd","isIcon":false,"position":2,"additionalFields":{},"isProductPreview":false},
   "img":{"type":"image","value":{"size":241636,"filename":"files/project/product/2954/image/7e0a.png",
          "contentType":"image/png","downloadLink":"https://p.oneentry.cloud/cloud-static/7e0a.png"},
          "isIcon":false,"position":3,"additionalFields":{},"isProductPreview":false}},
 "productPages":[{"id":2847,"pageId":10,"productId":2954,"positionId":3190,"categoryPath":"catalog"}],
 "blocks":["product_block"],"moduleFormConfigs":[]}
"""


def product(**changes: object) -> Product:
    raw = json.loads(PRODUCT_JSON)
    raw.update(changes)
    return Product.model_validate(raw)


def test_product_docs_example_exposes_what_the_bot_shows() -> None:
    box = product()
    assert box.id == 2954
    assert box.title == "Box"
    assert box.price == Decimal("51")
    assert box.currency == "usd"
    assert box.image_url == "https://p.oneentry.cloud/cloud-static/7e0a.png"
    assert box.status_identifier == "sale"
    assert box.status_title == "Sale"
    assert box.is_visible is True


def test_unknown_product_fields_are_kept() -> None:
    assert product().model_extra["productPages"][0]["pageId"] == 10


@pytest.mark.parametrize("raw_price", [51, "51", "51.00", 51.0])
def test_price_as_number_or_string(raw_price: object) -> None:
    assert product(price=raw_price).price == Decimal("51")


def test_price_falls_back_to_the_price_attribute() -> None:
    box = product(price=None)
    box.attribute_values["price"].value = "19.90"
    assert box.price == Decimal("19.90")


def test_price_none_when_nowhere() -> None:
    raw = json.loads(PRODUCT_JSON)
    raw["price"] = None
    del raw["attributeValues"]["price"]
    assert Product.model_validate(raw).price is None


def test_image_value_as_raw_list() -> None:
    raw = json.loads(PRODUCT_JSON)
    image = raw["attributeValues"]["img"]
    image["value"] = [image["value"]]
    assert Product.model_validate(raw).image_url == "https://p.oneentry.cloud/cloud-static/7e0a.png"


def test_empty_currency_and_missing_image_are_none() -> None:
    raw = json.loads(PRODUCT_JSON)
    raw["attributeValues"]["currency_products"]["value"] = ""
    del raw["attributeValues"]["img"]
    parsed = Product.model_validate(raw)
    assert parsed.currency is None
    assert parsed.image_url is None


def test_additional_fields_array_becomes_dict_by_marker() -> None:
    raw = json.loads(PRODUCT_JSON)
    raw["attributeValues"]["img"]["additionalFields"] = [
        {"marker": "alt", "type": "string", "value": "A box"}
    ]
    parsed = Product.model_validate(raw)
    assert parsed.attribute_values["img"].additional_fields["alt"]["value"] == "A box"


def test_short_description_from_localize_infos_or_attribute() -> None:
    from_texts = product(localizeInfos={"title": "Box", "shortDescription": "Sturdy."})
    assert from_texts.short_description == "Sturdy."
    raw = json.loads(PRODUCT_JSON)
    raw["attributeValues"]["short_description"] = {
        "type": "text",
        "value": [{"plainValue": "Cardboard."}],
    }
    assert Product.model_validate(raw).short_description == "Cardboard."
    assert product().short_description is None


def test_minimal_product_has_safe_defaults() -> None:
    bare = Product.model_validate(
        {"id": 7, "statusLocalizeInfos": {}, "isVisible": None, "attributeValues": []}
    )
    assert bare.title == "#7"
    assert bare.is_visible is True
    assert bare.status_title is None
    assert bare.price is None


def test_lang_keyed_maps_are_unwrapped_like_the_sdk() -> None:
    raw = {
        "id": 2,
        "identifier": "sold",
        "localizeInfos": {"en_US": {"title": "Sold"}, "ru_RU": {"title": "Продан"}},
    }
    assert ProductStatus.model_validate(unwrap_language(raw, "en_US")).title == "Sold"
    assert ProductStatus.model_validate(unwrap_language(raw, "ru_RU")).title == "Продан"


def test_unwrap_leaves_maps_without_the_lang_alone() -> None:
    raw = {"attributeValues": {"price": {"value": 1}}, "formData": {"en_US": [{"marker": "a"}]}}
    assert unwrap_language(raw, "en_US") == {
        "attributeValues": {"price": {"value": 1}},
        "formData": [{"marker": "a"}],
    }


def test_page_from_items_total_and_from_bare_array() -> None:
    paged = Page[Product].model_validate({"items": [{"id": 1}, {"id": 2}], "total": "14"})
    assert [p.id for p in paged.items] == [1, 2]
    assert paged.total == 14
    bare = Page[Product].model_validate([{"id": 3}])
    assert [p.id for p in bare.items] == [3]
    assert bare.total == 1


FORM_JSON = """
{"id":6,"attributeSetId":15,"type":"order","identifier":"guest_order","processingType":"script",
 "templateId":null,"version":14,"position":1,
 "localizeInfos":{"title":"Guest order","titleForSite":"","successMessage":"","unsuccessMessage":"",
                  "urlAddress":"","database":"0","script":"0"},
 "attributes":[
  {"type":"string","marker":"guest_name","position":1,"isVisible":true,"settings":{},"listTitles":[],
   "initialValue":null,"localizeInfos":{"title":"Name"},
   "validators":{"requiredValidator":{"strict":true},"stringInspectionValidator":{"stringMin":0,"stringMax":0,"stringLength":0}},
   "additionalFields":[{"marker":"placeholder","type":"string","value":"Your name"}],
   "isLogin":null,"isSignUp":false,"isPassword":false,"isSignUpRequired":false,
   "isNotificationEmail":false,"isNotificationPhonePush":false,"isNotificationPhoneSMS":false},
  {"type":"string","marker":"guest_comment","position":2,"isVisible":true,"validators":{},
   "localizeInfos":{"title":"Comment"},"additionalFields":{}}],
 "moduleFormConfigs":[]}
"""


def test_form_fields_required_and_additional_fields() -> None:
    form = Form.model_validate_json(FORM_JSON)
    name = form.field("guest_name")
    assert name is not None
    assert name.is_required
    assert name.title == "Name"
    assert name.additional_fields["placeholder"]["value"] == "Your name"
    comment = form.field("guest_comment")
    assert comment is not None
    assert not comment.is_required
    assert form.field("absent") is None


def test_empty_form_attributes_arrive_as_object() -> None:
    assert Form.model_validate({"id": 1, "attributes": {}}).attributes == []


STORAGE_JSON = """
{"id":1,"identifier":"guest_orders","formIdentifier":"guest_order","generalTypeId":21,"position":1,
 "localizeInfos":{"title":"Guest orders"},
 "paymentAccountIdentifiers":[{"identifier":"cash"},{"identifier":"stripe"}]}
"""


def test_storage_payment_account_identifiers() -> None:
    storage = OrderStorage.model_validate_json(STORAGE_JSON)
    assert storage.payment_account_identifiers == ["cash", "stripe"]
    assert storage.form_identifier == "guest_order"


CREATED_ORDER_JSON = """
{"id":89,"formIdentifier":"guest_order","paymentAccountIdentifier":"cash",
 "formData":[{"type":"string","marker":"guest_name","value":"Ivan"}],
 "products":[{"productId":14,"quantity":1}],
 "currency":"USD","totalSum":340,"createdDate":"2025-04-30T20:15:29.254Z",
 "statusIdentifier":"inProgress"}
"""

ORDER_JSON = """
{"id":418,"storageId":1,"createdDate":"2026-01-28T16:02:08.865Z",
 "statusIdentifier":"inProgress","statusLocalizeInfos":{"title":"In progress"},
 "fulfillmentStatusIdentifier":null,"fulfillmentStatusLocalizeInfos":null,
 "paymentStatusIdentifier":"inProgress-payment",
 "paymentStatusLocalizeInfos":{"title":"In progress"},
 "formIdentifier":"guest_order","attributeSetIdentifier":"order_form",
 "formData":[{"marker":"guest_name","value":"Ivan","type":"string"}],
 "totalSum":"300.00","currency":"","paymentAccountIdentifier":"cash",
 "paymentAccountLocalizeInfos":{"title":"Cash"},
 "products":[{"id":2957,"title":"Cosmo","sku":null,"previewImage":null,"price":150,"quantity":2,"isGift":false}],
 "paymentUrl":null,"isCompleted":null}
"""


def test_created_order_total_sum_number() -> None:
    order = CreatedOrder.model_validate_json(CREATED_ORDER_JSON)
    assert order.id == 89
    assert order.total == Decimal("340")
    assert order.created_date == datetime(2025, 4, 30, 20, 15, 29, 254000, tzinfo=UTC)
    assert order.products[0].product_id == 14


def test_order_read_shape_total_sum_string_and_statuses() -> None:
    order = Order.model_validate_json(ORDER_JSON)
    assert order.total == Decimal("300.00")
    assert order.status_title == "In progress"
    assert order.is_paid is False
    assert order.products[0].price == Decimal("150")
    assert order.form_data[0].value == "Ivan"


def test_order_old_created_date_and_string_line_price() -> None:
    raw = json.loads(ORDER_JSON)
    raw["createdDate"] = "2023-01-01 12:12"
    raw["products"][0]["price"] = "1.00"
    raw["isCompleted"] = True
    order = Order.model_validate(raw)
    assert order.created_date == datetime(2023, 1, 1, 12, 12)
    assert order.products[0].price == Decimal("1.00")
    assert order.is_paid


def test_unparseable_created_date_is_none_not_an_error() -> None:
    raw = json.loads(ORDER_JSON)
    raw["createdDate"] = "yesterday"
    assert Order.model_validate(raw).created_date is None


def test_lang_keyed_order_form_data() -> None:
    raw = json.loads(CREATED_ORDER_JSON)
    raw["formData"] = {"en_US": raw["formData"]}
    order = CreatedOrder.model_validate(unwrap_language(raw, "en_US"))
    assert order.form_data[0].marker == "guest_name"


def test_form_data_keyed_by_another_language_is_read_as_written() -> None:
    """An order written in en_US and read in ru_RU: the SDK leaves the map as it is."""
    raw = json.loads(ORDER_JSON)
    raw["formData"] = {"en_US": raw["formData"]}
    order = Order.model_validate(unwrap_language(raw, "ru_RU"))
    assert [(f.marker, f.value) for f in order.form_data] == [("guest_name", "Ivan")]


def test_a_field_with_a_null_type_is_kept() -> None:
    raw = json.loads(ORDER_JSON)
    raw["formData"].append({"marker": "comment", "type": None, "value": "ring twice"})
    order = Order.model_validate(raw)
    assert order.form_data[-1].type is None and order.form_data[-1].value == "ring twice"


def test_a_page_of_orders_survives_one_field_with_a_null_type() -> None:
    raw = json.loads(ORDER_JSON)
    odd = {**raw, "id": 419, "formData": [{"marker": "guest_name", "type": None, "value": "A"}]}
    page = Page[Order].model_validate({"items": [raw, odd], "total": 2})
    assert [order.id for order in page.items] == [418, 419]


@pytest.mark.parametrize(
    "texts",
    [{"title": "Cash"}, [{"title": "Cash"}], {"en_US": {"title": "Cash"}}],
    ids=["object", "list", "language map"],
)
def test_localize_infos_as_object_list_or_language_map(texts: object) -> None:
    account = PaymentAccount.model_validate(
        unwrap_language({"id": 1, "identifier": "cash", "localizeInfos": texts}, "en_US")
    )
    assert account.title == "Cash"


def test_localize_infos_missing_in_the_language_is_empty_not_another_language() -> None:
    status = ProductStatus.model_validate({"id": 2, "identifier": "sold", "localizeInfos": {}})
    assert status.title is None and status.localize_infos.is_empty


def test_order_create_wraps_form_data_per_language() -> None:
    order = OrderCreate(
        form_identifier="guest_order",
        payment_account_identifier="cash",
        form_data=[FormField(marker="guest_name", value="Ivan")],
        products=[OrderProduct(product_id=14, quantity=2)],
    )
    assert order.to_wire("en_US") == {
        "formIdentifier": "guest_order",
        "paymentAccountIdentifier": "cash",
        "formData": {"en_US": [{"marker": "guest_name", "type": "string", "value": "Ivan"}]},
        "products": [{"productId": 14, "quantity": 2}],
    }


def test_order_update_sends_status_marker() -> None:
    update = OrderUpdate(form_identifier="guest_order", status_marker="cancelled")
    assert update.to_wire("en_US") == {"formIdentifier": "guest_order", "statusMarker": "cancelled"}


SESSION = {
    "id": 27,
    "createdDate": "2025-06-04T04:38:32.849Z",
    "updatedDate": "2025-06-04T04:38:32.849Z",
    "type": "session",
    "status": "waiting",
    "paymentAccountId": 1,
    "orderId": 55,
    "paymentUrl": None,
    "amount": None,
}


@pytest.mark.parametrize("raw", [[SESSION], SESSION], ids=["array", "object"])
def test_sessions_of_an_order_as_array_or_object(raw: object) -> None:
    from pydantic import TypeAdapter

    sessions = TypeAdapter(PaymentSessionList).validate_python(raw)
    assert [(s.id, s.status, s.payment_url) for s in sessions] == [(27, "waiting", None)]


def test_stripe_session_amount_and_url() -> None:
    from oneentry_client import PaymentSession

    session = PaymentSession.model_validate(
        {**SESSION, "paymentUrl": "https://checkout.stripe.com/c/pay/cs_test", "amount": 4061.55}
    )
    assert session.payment_url == "https://checkout.stripe.com/c/pay/cs_test"
    assert session.amount == Decimal("4061.55")


def test_payment_account_title() -> None:
    account = PaymentAccount.model_validate(
        {
            "id": 1,
            "identifier": "cash",
            "type": "custom",
            "isVisible": True,
            "localizeInfos": {"title": "Cash"},
            "settings": {"status": "connected"},
        }
    )
    assert (account.identifier, account.title) == ("cash", "Cash")
    assert account.model_extra["settings"] == {"status": "connected"}


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ({"statusCode": 401, "message": "Unauthorized"}, "Unauthorized"),
        ({"statusCode": 400, "message": ["a is bad", "b is bad"]}, "a is bad; b is bad"),
    ],
)
def test_error_body_message_str_or_list(raw: dict[str, object], text: str) -> None:
    assert ApiErrorBody.model_validate(raw).text == text


def test_tokens_never_in_repr() -> None:
    tokens = AuthTokens.model_validate(
        {"accessToken": "eyJ.secret.jwt", "refreshToken": "1714557670334-cb85"}
    )
    assert "eyJ.secret.jwt" not in repr(tokens)
    assert "1714557670334-cb85" not in repr(tokens)
    assert tokens.user_identifier is None


@pytest.mark.parametrize(
    ("model", "raw", "empty_fields"),
    [
        (Product, {"id": 1, "localizeInfos": None, "categories": None}, ["categories"]),
        (OrderStorage, {"id": 1, "paymentAccountIdentifiers": None}, ["payment_accounts"]),
        (Order, {"id": 1, "formData": None, "products": None}, ["form_data", "products"]),
        (FormAttribute, {"marker": "x", "validators": None, "listTitles": None}, ["list_titles"]),
    ],
)
def test_null_collections_mean_empty(model: type, raw: dict, empty_fields: list[str]) -> None:  # type: ignore[type-arg]
    """OneEntry sends null for empty maps and lists; the models read it as empty."""
    parsed = model.model_validate(raw)
    for field in empty_fields:
        assert getattr(parsed, field) == []


def test_null_texts_mean_no_texts() -> None:
    product = Product.model_validate({"id": 1, "localizeInfos": None, "statusLocalizeInfos": None})
    assert product.title == "#1"
    assert product.status_title is None
