"""Two apps mounted under the same prefix must not claim the same address: the first would win silently.

django-ninja registers one URL pattern per operation, all calling the same path view; two patterns of one
address are a clash only when they lead to different views."""

from collections import defaultdict

from django.urls import URLPattern, URLResolver, get_resolver


def view_of(pattern: URLPattern) -> object:
    callback = pattern.callback
    cells = [c.cell_contents for c in (getattr(callback, "__closure__", None) or ())]
    return next((c for c in cells if type(c).__name__ == "PathView"), callback)


def routes(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), view_of(p)


def test_no_two_views_share_an_address():
    views = defaultdict(set)
    for route, view in routes(get_resolver().url_patterns):
        views[route].add(id(view))
    assert [route for route, seen in views.items() if len(seen) > 1] == []
