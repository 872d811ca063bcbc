"""The public API at /api/v1/: it maps requests to the apps' services and adds only
serialisation, validation and HTTP behaviour (see http.py)."""

from __future__ import annotations

from ninja import NinjaAPI

from .docs import SelfHostedSwagger
from .errors import PROBLEM_TYPE, install_problem_handlers


class DatelineApi(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Errors are documented as what they are: application/problem+json."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, answer in operation.get("responses", {}).items():
                    content = answer.get("content", {})
                    if str(status).startswith(("4", "5")) and "application/json" in content:
                        answer["content"] = {PROBLEM_TYPE: content["application/json"]}
        return schema


api = DatelineApi(
    title="Dateline API",
    version="1",
    description=(
        "Read the site's stories, sections, authors and tags in every site language; "
        "search; keep an app in sync; count views. Public and read-only, except view "
        "beacons. Errors are RFC 9457 problem details."
    ),
    urls_namespace="api-v1",
    docs=SelfHostedSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_problem_handlers(api)


def register_routers() -> None:
    from .articles import router as articles_router
    from .breaking import router as breaking_router
    from .site import router as site_router
    from .views import router as views_router

    api.add_router("/", site_router)
    api.add_router("/", articles_router)
    api.add_router("/", breaking_router)
    api.add_router("/", views_router)


register_routers()
