"""The interactive documentation at /api/v1/docs: Swagger UI from our own static files.

The site's Content Security Policy lets scripts and styles come only from the site and
gives public pages no nonce (they may be cached as bytes), so the page loads the Swagger
UI that django-ninja installs among the static files (`ninja/`) and starts it with a
script file of ours that reads its settings from a JSON data block."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI


class SelfHostedSwagger(DocsBase):
    template = "api/docs.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        swagger_settings = {
            "url": self.get_openapi_url(api, kwargs),
            "deepLinking": True,
            # Swagger UI would otherwise send the document to an outside validator.
            "validatorUrl": None,
        }
        return render(
            request, self.template, {"title": api.title, "swagger_settings": swagger_settings}
        )
