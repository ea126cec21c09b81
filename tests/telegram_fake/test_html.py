"""The fake's HTML parse mode against TDLib's own parse_html cases and the reference's."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.telegram.errors import BotApiError
from sandbox.telegram.html import parse_html, utf16_length, utf16_slice

STADIUM = "🏟 🏟&lt;"  # 9 bytes of emoji and space, then "&lt;": a tag after it starts at byte 13


@pytest.mark.parametrize(
    ("markup", "detail"),
    [
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("x <b", "Unclosed start tag at byte offset 2"),
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        (f"{STADIUM}<abacaba", "Unclosed start tag at byte offset 13"),
        (f"{STADIUM}<abac aba>", 'Unsupported start tag "abac" at byte offset 13'),
        (f"{STADIUM}<i   =aba>", 'Empty attribute name in the tag "i" at byte offset 13'),
        (f"{STADIUM}<i    aba  =  ", 'Unclosed start tag "i" at byte offset 13'),
        (f"{STADIUM}<i    aba  =  190azAz-.,", "Unexpected end of name token at byte offset 27"),
        (f'{STADIUM}<i    aba  =  "&lt;&gt;&quot;>', "Unclosed start tag at byte offset 13"),
        (f"{STADIUM}</", "Unexpected end tag at byte offset 13"),
        (f"{STADIUM}<b></b></", "Unexpected end tag at byte offset 20"),
        (f"{STADIUM}<i>a</i   ", "Unclosed end tag at byte offset 17"),
        (
            f"{STADIUM}<i>a</em   >",
            'Unmatched end tag at byte offset 17, expected "</i>", found "</em>"',
        ),
        ("<a href", 'Unclosed start tag "a" at byte offset 0'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</i>", 'Can\'t find end tag corresponding to start tag "b"'),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ('<tg-emoji emoji-id="abc">x</tg-emoji>', "Invalid custom emoji identifier specified"),
        ("Привет <друг>", 'Unsupported start tag "друг" at byte offset 13'),
        ("😀 < 5", 'Unsupported start tag "" at byte offset 5'),
        (
            "&#57311;",
            "Text contains invalid Unicode characters after decoding HTML entities, "
            "check for unmatched surrogate code units",
        ),
    ],
)
def test_markup_errors_name_the_byte_offset_like_telegram(markup: str, detail: str) -> None:
    with pytest.raises(BotApiError) as raised:
        parse_html(markup)
    assert raised.value.error_code == 400
    assert raised.value.description == f"Bad Request: can't parse entities: {detail}"


def entity(kind: str, offset: int, length: int, **extra: Any) -> dict[str, Any]:
    return {"type": kind, "offset": offset, "length": length, **extra}


@pytest.mark.parametrize(
    ("markup", "text", "entities"),
    [
        ("", "", []),
        ("plain", "plain", []),
        ("<b>b</b><strong>s</strong>", "bs", [entity("bold", 0, 1), entity("bold", 1, 1)]),
        ("<i>i</i><em>e</em>", "ie", [entity("italic", 0, 1), entity("italic", 1, 1)]),
        ("<u>u</u><ins>n</ins>", "un", [entity("underline", 0, 1), entity("underline", 1, 1)]),
        (
            "<s>s</s><strike>t</strike><del>d</del>",
            "std",
            [entity("strikethrough", i, 1) for i in range(3)],
        ),
        (
            '<tg-spoiler>a</tg-spoiler><span class="tg-spoiler">b</span>',
            "ab",
            [entity("spoiler", 0, 1), entity("spoiler", 1, 1)],
        ),
        (
            '<a href="https://shop.example/p?id=1">buy</a>',
            "buy",
            [entity("text_link", 0, 3, url="https://shop.example/p?id=1")],
        ),
        (
            "<a href=telegram.org>\t</a>",
            "\t",
            [entity("text_link", 0, 1, url="http://telegram.org/")],
        ),
        (
            "<a>telegram.org</a>",
            "telegram.org",
            [entity("text_link", 0, 12, url="http://telegram.org/")],
        ),
        ("<a>telegram.org </a>", "telegram.org ", []),
        (
            '<a href="tg://user?id=42">Ann</a>',
            "Ann",
            [entity("text_mention", 0, 3, user={"id": 42})],
        ),
        ("<code>x</code>", "x", [entity("code", 0, 1)]),
        ("<pre>x</pre>", "x", [entity("pre", 0, 1)]),
        (
            '<pre><code class="language-python">x</code></pre>',
            "x",
            [entity("pre", 0, 1, language="python")],
        ),
        ("<blockquote>q</blockquote>", "q", [entity("blockquote", 0, 1)]),
        ("<blockquote expandable>q</blockquote>", "q", [entity("expandable_blockquote", 0, 1)]),
        (
            '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
            "👍",
            [entity("custom_emoji", 0, 2, custom_emoji_id="5368324170671202286")],
        ),
        (
            '<tg-time unix="1647531900" format="wDT">Fri</tg-time>',
            "Fri",
            [entity("date_time", 0, 3, unix_time=1647531900, date_time_format="wDT")],
        ),
        ("<B>x</b>", "x", [entity("bold", 0, 1)]),
        ('<b class="ignored" data-x=1>x</b>', "x", [entity("bold", 0, 1)]),
        ("<b></b>", "", []),
        ("<i>x</>", "x", [entity("italic", 0, 1)]),
        (
            "<i><b> </b> <code> </code></i>",
            "   ",
            [entity("italic", 0, 3), entity("bold", 0, 1), entity("code", 2, 1)],
        ),
    ],
)
def test_tags_become_entities(markup: str, text: str, entities: list[dict[str, Any]]) -> None:
    assert parse_html(markup) == (text, entities)


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("&lt;&gt;&amp;&quot;", '<>&"'),
        ("&#60;&#x3C;&#x3c", "<<<"),
        ("&laquo;&raquo;&#12345678;", "&laquo;&raquo;&#12345678;"),  # unknown: kept literally
        ("AT&T & co &amp", "AT&T & co &"),  # a bare & is no error
        ("&lt 5, &ltb", "< 5, &ltb"),  # the semicolon is optional, the name is not
        ("&#128512;", "😀"),
    ],
)
def test_character_references(markup: str, text: str) -> None:
    assert parse_html(markup) == (text, [])


@pytest.mark.parametrize(
    ("markup", "offset", "length", "covered"),
    [
        ("😀<b>x</b>", 2, 1, "x"),  # an emoji is two UTF-16 units
        ("➡️ ➡️<i>➡️ ➡️</i>", 5, 5, "➡️ ➡️"),
        ("Цена: <b>100 ₽</b>", 6, 5, "100 ₽"),
        ("🏟 🏟<i>🏟 &lt🏟</i>", 5, 6, "🏟 <🏟"),
    ],
)
def test_offsets_are_utf16_code_units(markup: str, offset: int, length: int, covered: str) -> None:
    text, [parsed] = parse_html(markup)
    assert (parsed["offset"], parsed["length"]) == (offset, length)
    assert utf16_slice(text, offset, length) == covered
    assert utf16_length(covered) == length
