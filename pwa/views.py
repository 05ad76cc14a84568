"""The installable app: its manifest, its service worker at the site root, the offline page and
the shells of the offline forms.

The shells (/app/kas/, /app/kunjungan/) and the offline page are the same HTML for every user:
they are rendered without the request, so no name, menu or figure of anyone gets in, and the
worker may keep them. The data they show comes from the phone's own IndexedDB, filled from
/api/v1/me/offline for the user signed in (static/js/offline/app.js)."""

from __future__ import annotations

import hashlib
import json
from functools import cache

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

THEME = "#00895a"  # the favicon's and Pico jade's primary colour
# What the worker keeps: static files and the user-independent pages, nothing else.
PRECACHE_STATIC = ("vendor/pico/pico.jade.min.css", "css/sikube.css", "img/favicon.svg", "img/icon-192.png",
                   "js/offline/app.js", "js/offline/kas.js", "js/offline/kunjungan.js")
SHELL_PAGES = ("pwa:offline", "pwa:kas", "pwa:kunjungan")
SHELL_TEMPLATES = ("pwa/shell.html", "pwa/offline.html", "pwa/kas.html", "pwa/kunjungan.html")


def _shared(response: HttpResponse) -> HttpResponse:
    """A page the same for every user: the worker may keep it, revalidated on each online visit."""
    response["Cache-Control"] = "no-cache"
    return response


@cache
def worker_version() -> str:
    """Changes whenever a precached file or shell changes, so that phones fetch them anew."""
    digest = hashlib.sha256()
    for name in PRECACHE_STATIC:
        digest.update(static(name).encode())
        source = settings.BASE_DIR / "static" / name
        if source.exists():
            digest.update(source.read_bytes())
    for template in SHELL_TEMPLATES:
        digest.update((settings.BASE_DIR / "pwa" / "templates" / template).read_bytes())
    return digest.hexdigest()[:16]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """/sw.js, from the site root so that its scope is the whole site."""
    context = {
        "version": worker_version(),
        "precache": json.dumps([static(n) for n in PRECACHE_STATIC] + [reverse(p) for p in SHELL_PAGES]),
        "shells": json.dumps({reverse("pwa:kas"): reverse("pwa:kas"),
                              reverse("pwa:kunjungan"): reverse("pwa:kunjungan")}),
        "offline": json.dumps(reverse("pwa:offline")),
        "static_url": json.dumps(settings.STATIC_URL),
    }
    response = HttpResponse(render_to_string("pwa/sw.js", context), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return _shared(response)


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    data = {
        "name": "SIKUBE",
        "short_name": "SIKUBE",
        "description": _("Sistem Informasi Kelompok Usaha Bersama: buku kas, simpanan dan kunjungan pendamping."),
        "lang": "id",
        "start_url": reverse("front:home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME,
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": static("img/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
        ],
    }
    response = HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")
    return _shared(response)


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    return _shared(HttpResponse(render_to_string("pwa/offline.html")))


@require_GET
def kas(request: HttpRequest) -> HttpResponse:
    return _shared(HttpResponse(render_to_string("pwa/kas.html")))


@require_GET
def kunjungan(request: HttpRequest) -> HttpResponse:
    return _shared(HttpResponse(render_to_string("pwa/kunjungan.html")))


@login_required
def install(request: HttpRequest) -> HttpResponse:
    """How to put SIKUBE on the home screen where the browser offers no install prompt."""
    return render(request, "pwa/install.html")
