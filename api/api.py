"""The JSON API under /api/v1/: one NinjaAPI, a router per app, token auth everywhere."""

from __future__ import annotations

from ninja import NinjaAPI

from accounts.api import router as auth_router
from api import errors
from api.auth import BearerToken
from assessments.api import router as assessments_router
from books.api import router as books_router
from books.api_registers import router as registers_router
from grants.api import router as grants_router
from mentoring.api import router as mentoring_router
from monitoring.api import router as monitoring_router
from regions.api import router as regions_router
from registry.api import router as registry_router

api = NinjaAPI(
    title="SIKUBE API",
    version="1",
    description=(
        "API Sistem Informasi KUBE. Minta token dengan `POST /api/v1/auth/token`, lalu kirim "
        "`Authorization: Bearer <token>`. Galat selalu berbentuk `{\"code\", \"message\"}` "
        "dengan pesan berbahasa Indonesia. Jangkauan data sama dengan di halaman web. Setiap POST "
        "menerima header `Idempotency-Key` (1–255 karakter ASCII, misalnya UUID): permintaan yang "
        "dikirim ulang dengan kunci yang sama tidak mencatat dua kali dan mendapat jawaban pertama."
    ),
    auth=BearerToken(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("/auth", auth_router)
api.add_router("/regions", regions_router)
api.add_router("", registry_router)
api.add_router("", books_router)
api.add_router("", registers_router)
api.add_router("", grants_router)
api.add_router("", mentoring_router)
api.add_router("", assessments_router)
api.add_router("", monitoring_router)
