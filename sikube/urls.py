from django.conf import settings
from django.urls import include, path
from django.views.i18n import set_language

from sikube.api import api

# The API first: Django tries the patterns in order on every request, and the pages' hundred and
# more patterns cost each API call ~0.15 ms to try (twice for a write: the role check resolves it
# too). No page path starts with api/v1/, so the order changes no match.
urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("front.urls")),
    path("", include("pwa.urls")),
    path("akun/", include("accounts.urls")),
    path("audit/", include("audit.urls")),
    path("wilayah/", include("regions.urls")),
    path("kube/", include("registry.urls")),
    path("kube/", include("books.urls")),
    path("kube/", include("grants.urls")),
    path("kube/", include("shareout.urls")),
    path("", include("mentoring.urls")),
    path("", include("assessments.urls")),
    path("dtsen/", include("dtsen.urls")),
    path("pelaporan/", include("approval.urls")),
    path("", include("messaging.urls")),
    path("", include("monitoring.urls")),
    path("bahasa/", set_language, name="set_language"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
