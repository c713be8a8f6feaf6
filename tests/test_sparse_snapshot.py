"""The snapshot's zero-page encoding (sitebuild/browser_assets/sparse.py) gives back the exact image."""

from __future__ import annotations

import pytest

from sitebuild.browser_assets import sparse

PAGE = 16
IMAGES = {
    "empty": b"",
    "all_zero": bytes(5 * PAGE),
    "no_zero_page": bytes(range(1, 3 * PAGE + 1)),
    "zero_pages_between": b"a" * PAGE + bytes(3 * PAGE) + b"b" * PAGE,
    "short_last_page": bytes(2 * PAGE) + b"xyz",
    "short_zero_last_page": b"q" * PAGE + bytes(5),
    "byte_at_page_end": bytes(PAGE - 1) + b"\x01" + bytes(PAGE),
}


@pytest.mark.parametrize("name", sorted(IMAGES))
def test_round_trip(name):
    image = IMAGES[name]
    packed = sparse.deflate(image, page=PAGE)
    assert sparse.inflate(packed) == image
    kept = [image[i : i + PAGE] for i in range(0, len(image), PAGE) if any(image[i : i + PAGE])]
    assert len(packed) == len(sparse.MAGIC) + 12 + 4 * len(kept) + sum(map(len, kept)), "zero pages are left out"


def test_not_a_sparse_snapshot_is_refused():
    with pytest.raises(ValueError):
        sparse.inflate(b"\0" * 64)
