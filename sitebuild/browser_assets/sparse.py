"""The memory snapshot as the browser fetches it: zero pages left out.

A Pyodide memory snapshot is the whole wasm memory (~31 MB), of which about 60% is pages of zeros.
Brotli compresses those to almost nothing on the wire, but the worker keeps the snapshot for the
next visit decoded (Cache Storage; the HTTP cache, without it, stores it compressed and decodes it
on every read): 31 MB was the largest part of a restore (see docs/writers/performance.md). Leaving
the zero pages out makes the decoded file ~12 MB; the worker (docs/assets/javascripts/wizard/worker.js,
`inflateSnapshot`) rebuilds the memory image, where a fresh buffer is zero already.

Format (little-endian): MAGIC, total length u32, page size u32, page count n u32, n page indexes
u32, then the n pages' bytes (the last page of the image may be short).
"""

from __future__ import annotations

import struct

MAGIC = b"PYSPARS1"
PAGE = 65536


def deflate(image: bytes, page: int = PAGE) -> bytes:
    pages = (len(image) + page - 1) // page
    zero = bytes(page)  # a page compared with it (memcmp) is ~100x faster than any() over its bytes
    kept = [i for i in range(pages) if image[i * page : (i + 1) * page] != zero[: len(image) - i * page]]
    head = MAGIC + struct.pack("<III", len(image), page, len(kept)) + struct.pack(f"<{len(kept)}I", *kept)
    return head + b"".join(image[i * page : (i + 1) * page] for i in kept)


def inflate(data: bytes) -> bytes:
    """The memory image again (the worker does the same in JavaScript; tests compare the two)."""
    if not data.startswith(MAGIC):
        raise ValueError("not a sparse snapshot")
    total, page, count = struct.unpack_from("<III", data, len(MAGIC))
    offset = len(MAGIC) + 12
    kept = struct.unpack_from(f"<{count}I", data, offset)
    offset += 4 * count
    image = bytearray(total)
    for i in kept:
        size = min(page, total - i * page)
        image[i * page : i * page + size] = data[offset : offset + size]
        offset += size
    return bytes(image)
