"""The JSON API under /api/v1/: one NinjaAPI, a router per app, token auth everywhere."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from accounts.api import router as auth_router
from accounts.api import users_router
from api import errors
from api.auth import BearerToken, SessionCsrf
from api.parser import SikubeParser
from approval.api import router as approval_router
from assessments.api import router as assessments_router
from audit.api import router as audit_router
from books.api import router as books_router
from books.api_registers import router as registers_router
from dtsen.api import router as dtsen_router
from grants.api import router as grants_router
from mentoring.api import router as mentoring_router
from messaging.api import router as messaging_router
from monitoring.api import router as monitoring_router
from pwa.api import router as pwa_router
from regions.api import router as regions_router
from registry.api import router as registry_router
from shareout.api import router as shareout_router

ERRORS = {
    "400": "Permintaan ditolak (aturan bisnis); `message` menyebut yang harus diperbaiki",
    "401": "Token tidak ada, tidak dikenal atau sudah dicabut",
    "403": "Peran ini tidak boleh melakukan tindakan ini",
    "404": "Tidak ada, atau di luar jangkauan pengguna",
    "409": "Permintaan dengan Idempotency-Key yang sama masih diproses",
    "413": "Data yang dikirim terlalu besar",
    "422": "Data tidak valid; `details` menyebut tiap isian",
    "429": "Terlalu banyak permintaan; coba lagi nanti",
}


class SikubeAPI(NinjaAPI):
    """The API, whose OpenAPI document also describes the errors every operation can answer
    ({"code", "message"}), so that clients (and schemathesis) know them."""

    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Error"] = {
            "type": "object", "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                           "field": {"type": "string"}, "details": {}},
        }
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, text in ERRORS.items():
                    responses.setdefault(status, {"description": text, "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
        return schema


api = SikubeAPI(
    title="SIKUBE API",
    version="1",
    description=(
        "API Sistem Informasi KUBE. Minta token dengan `POST /api/v1/auth/token`, lalu kirim "
        "`Authorization: Bearer <token>`. Galat selalu berbentuk `{\"code\", \"message\"}` "
        "dengan pesan berbahasa Indonesia. Jangkauan data sama dengan di halaman web. Setiap POST "
        "menerima header `Idempotency-Key` (1–255 karakter ASCII, misalnya UUID): permintaan yang "
        "dikirim ulang dengan kunci yang sama tidak mencatat dua kali dan mendapat jawaban pertama."
    ),
    # SIKUBE's own pages call it with the signed-in session and the CSRF header (the offline outbox).
    auth=[BearerToken(), SessionCsrf()],
    parser=SikubeParser(),  # refuses the NUL character PostgreSQL cannot store (api/parser.py)
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("/auth", auth_router)
api.add_router("", users_router)
api.add_router("/regions", regions_router)
api.add_router("", registry_router)
api.add_router("", books_router)
api.add_router("", registers_router)
api.add_router("", approval_router)
api.add_router("", grants_router)
api.add_router("", mentoring_router)
api.add_router("", assessments_router)
api.add_router("", shareout_router)
api.add_router("", dtsen_router)
api.add_router("", messaging_router)
api.add_router("", monitoring_router)
api.add_router("", audit_router)
api.add_router("", pwa_router)
