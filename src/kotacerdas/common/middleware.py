import contextvars
import time
import uuid

from django.db import connection

request_id_var = contextvars.ContextVar("request_id", default="-")
user_var = contextvars.ContextVar("user", default="-")


class RequestContextMiddleware:
    """Give each request an id that log lines and the response carry."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming[:64] if incoming.isalnum() else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        user_token = user_var.set("-")
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
            user_var.reset(user_token)
        response["X-Request-ID"] = request_id
        return response


class UserContextMiddleware:
    """Put the logged-in user's id into the log context once it is known."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user_var.set(str(user.pk))
        return self.get_response(request)


class QueryCountHeaderMiddleware:
    """Report SQL queries and server time per response; used only by `make bench`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        response["X-Server-Time-Ms"] = f"{(time.perf_counter() - started) * 1000:.1f}"
        return response
