"""Product pictures: small solid-colour PNGs generated on the fly, served like OneEntry's
`/cloud-static/...` files, so `downloadLink` points at something a client can really fetch."""

from __future__ import annotations

import functools
import struct
import zlib

IMAGE_SIZE = 64
DEFAULT_COLOR = "9e9e9e"


def image_path(product_id: int) -> str:
    """The path of a product's picture, shaped like the real CDN's."""
    return f"/cloud-static/files/project/product/{product_id}/image/product-{product_id}.png"


def gallery_path(product_id: int, number: int) -> str:
    """The path of picture `number` (from 1) of a product's gallery."""
    return f"/cloud-static/files/project/product/{product_id}/image/gallery-{number}.png"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@functools.lru_cache(maxsize=256)
def solid_png(color: str, size: int = IMAGE_SIZE) -> bytes:
    """A `size`×`size` PNG filled with the hex colour `color` (e.g. "4caf50")."""
    try:
        rgb = bytes.fromhex(color)
    except ValueError:
        rgb = bytes.fromhex(DEFAULT_COLOR)
    if len(rgb) != 3:
        rgb = bytes.fromhex(DEFAULT_COLOR)
    row = b"\x00" + rgb * size
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(row * size, 9))
        + _chunk(b"IEND", b"")
    )
