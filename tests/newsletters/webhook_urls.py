"""The site's addresses with the mail provider's webhooks, as when DATELINE_EMAIL_PROVIDER
is set (the test settings set none)."""

from django.urls import include, path

from dateline.urls import urlpatterns as site_patterns

urlpatterns = [path("newsletters/webhooks/", include("anymail.urls")), *site_patterns]
