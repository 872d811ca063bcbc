"""The public API at /api/v1/: it maps requests to the apps' services and adds only
serialisation, validation and HTTP behaviour."""

from ninja import NinjaAPI

from .errors import install_problem_handlers

api = NinjaAPI(
    title="Dateline API",
    version="1",
    description="Read the site's stories; count views.",
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_problem_handlers(api)


def register_routers() -> None:
    from .views import router as views_router

    api.add_router("/", views_router)


register_routers()
