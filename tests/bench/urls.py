"""Tandem's URLs plus the bare baseline view the benchmark compares each page with."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from tandem import urls as tandem_urls

# The HTML each page rendered, by page key: the baseline returns the same bytes.
BODIES: dict[str, bytes] = {}


def baseline(request: HttpRequest, page: str) -> HttpResponse:
    """No query, no template: the cost of Django and the middleware alone."""
    return HttpResponse(BODIES[page])


urlpatterns = [
    path("bench/baseline/<slug:page>/", baseline, name="bench_baseline"),
    *tandem_urls.urlpatterns,
]
handler403 = tandem_urls.handler403
handler404 = tandem_urls.handler404
handler500 = tandem_urls.handler500
