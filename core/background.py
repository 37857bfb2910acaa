"""Handing work to a Celery worker without making the person who saved a change wait for a broker that is down."""

from kombu.exceptions import OperationalError

# What publishing raises when the broker cannot be reached (kombu wraps most; a refused socket can surface as is).
BROKER_ERRORS = (OperationalError, OSError)


def publish(task, /, **kwargs) -> None:
    """Queue ``task(**kwargs)`` at once, or raise one of BROKER_ERRORS.

    Neither the connection nor the publish is retried: by default both retry
    for seconds, which a person waiting for their page would feel. Callers
    record the work somewhere first (a row, a fallback) so that a failure here
    loses nothing. Without a broker (eager Celery) the task runs here and now.
    """
    with task.app.connection_for_write(transport_options={"max_retries": 0}) as broker:
        task.apply_async(kwargs=kwargs, connection=broker, retry=False)
