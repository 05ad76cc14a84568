from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from front.navigation import menu_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    # Lazy: pages that do not render the menu (healthz, API docs) pay nothing.
    return {"menu": SimpleLazyObject(lambda: menu_for(request.user))}
