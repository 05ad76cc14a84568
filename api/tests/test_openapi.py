"""The OpenAPI document names every schema once: django-ninja lets a second class with the same
name silently replace the first in the document, and clients then read the wrong shape."""

from __future__ import annotations

from collections import defaultdict

from ninja import Schema
from pydantic import BaseModel

from sikube.api import api


def _models(annotation, seen):
    """The Schema classes inside a response or payload annotation, recursively."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in seen:
            seen.add(annotation)  # ninja's own wrappers (PathParams, BodyParams …) are dropped below
            for field in annotation.model_fields.values():
                _models(field.annotation, seen)
        return
    for arg in getattr(annotation, "__args__", ()) or ():
        _models(arg, seen)


def test_no_two_schemas_share_a_name():
    seen: set[type] = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in (operation.response_models or {}).values():
                    _models(model, seen)
                for model in getattr(operation, "models", []) or []:
                    _models(model, seen)
    by_name = defaultdict(set)
    for model in (m for m in seen if issubclass(m, Schema)):
        by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    clashes = {name: sorted(where) for name, where in by_name.items() if len(where) > 1}
    assert not clashes
    assert len(seen) > 50  # the walk does reach the schemas
