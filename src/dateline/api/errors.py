"""Errors as RFC 9457 problem details, so that apps read one shape for every failure."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

PROBLEM_TYPE = "application/problem+json"


def problem(
    api: NinjaAPI, request: HttpRequest, status: int, title: str, detail: str = "", **extra
) -> HttpResponse:
    body = {"type": "about:blank", "title": title, "status": status, **extra}
    if detail:
        body["detail"] = detail
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM_TYPE
    response["Cache-Control"] = "no-store"
    return response


class ApiProblem(Exception):
    """Raised by endpoints for a 4xx that carries a message for the client; `parameter`
    names the query parameter at fault."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str = "",
        headers: dict | None = None,
        parameter: str | None = None,
    ):
        super().__init__(detail or title)
        self.status, self.title, self.detail = status, title, detail
        self.headers = headers or {}
        self.parameter = parameter


def bad_parameter(parameter: str, detail: str, title: str = "Invalid parameter") -> ApiProblem:
    return ApiProblem(400, title, detail, parameter=parameter)


def install_problem_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ApiProblem)
    def on_problem(request: HttpRequest, error: ApiProblem) -> HttpResponse:
        extra = {}
        if error.parameter:
            extra["errors"] = [{"parameter": error.parameter, "message": error.detail}]
        response = problem(api, request, error.status, error.title, error.detail, **extra)
        for name, value in error.headers.items():
            response[name] = value
        return response

    @api.exception_handler(ValidationError)
    def on_invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
        errors = [
            {
                "parameter": ".".join(str(part) for part in item.get("loc", [])[1:]),
                "message": item.get("msg", ""),
            }
            for item in error.errors
        ]
        names = ", ".join(e["parameter"] for e in errors if e["parameter"]) or "request"
        return problem(api, request, 422, "Invalid parameters", f"Check: {names}.", errors=errors)

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, error: Http404) -> HttpResponse:
        return problem(api, request, 404, "Not found", str(error) or "")

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
        return problem(api, request, error.status_code, str(error))
