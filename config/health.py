from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        return "down"
    return "ok"


def broker_state() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
    except Exception:  # noqa: BLE001 - any failure means the broker is not reachable
        return "down"
    return "ok"


@require_GET
def healthz(request):
    """Always 200, so a load balancer sees the web process; the body names each dependency's state."""
    return JsonResponse({"database": database_state(), "broker": broker_state()})
