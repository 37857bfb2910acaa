"""gunicorn's configuration for Helder: ``gunicorn -c gunicorn.conf.py config.wsgi:application``.

gunicorn also reads this file by itself when it starts in this directory
(its default ``--config`` is ``./gunicorn.conf.py``); the Dockerfile and
docker-compose.yml name it anyway, so that nobody depends on the working
directory. Bind address, workers and logging stay on the command line.

The ``Server`` header: gunicorn 23 sends ``Server: gunicorn`` on every response
and has no setting to change it (the maintainers declined one:
https://github.com/benoitc/gunicorn/issues/825). A response should not name the
software behind it, so this file, which gunicorn executes in the master before
it forks the workers, drops that one line from the headers gunicorn writes
itself. It wraps ``Response.default_headers`` rather than replacing it: the
status line, Date, Connection and Transfer-Encoding stay gunicorn's own, and if a
later gunicorn stops sending ``Server`` the filter simply finds nothing.
tests/security/test_headers.py starts gunicorn with this file and checks it.
"""

from gunicorn.http import wsgi

_default_headers = wsgi.Response.default_headers


def _headers_without_server(self):
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


wsgi.Response.default_headers = _headers_without_server
