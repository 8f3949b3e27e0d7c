"""Detail links built from a cached pattern are exactly what ``reverse()`` gives.

Why: list pages build hundreds of links through :func:`bulletins.links.detail_url`
instead of ``reverse()``; a deployment under a path prefix (SCRIPT_NAME) must
still get correct links.
"""

from __future__ import annotations

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix

from bulletins.links import detail_url


@pytest.mark.parametrize("prefix", ["/", "/archive/"])
@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("bulletins:article_detail", 7),
        ("bulletins:issue_detail", 123456),
        ("bulletins:organisation_detail", 1),
        ("bulletins:topic_detail", "first-aid-training"),
    ],
)
def test_detail_url_equals_reverse(prefix, name, value):
    set_script_prefix(prefix)
    try:
        assert detail_url(name, value) == reverse(name, args=[value])
        assert detail_url(name, value).startswith(prefix)
    finally:
        clear_script_prefix()


def test_route_without_argument_in_the_path_is_refused():
    with pytest.raises(Exception):  # noqa: B017 - NoReverseMatch or ValueError, both refuse
        detail_url("bulletins:home", 1)
