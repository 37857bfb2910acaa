"""A minimal browser for bench/pages.py: one new HTTP connection per request (gunicorn's sync workers close
each one), its own cookies, and a login through Helder's login form, as a person logs in."""

import http.client
import re
import socket
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int, seconds: float = 60) -> None:
    """Until the server answers /healthz, or fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer on port {port} within {seconds:.0f} s")


class Browser:
    def __init__(self, port: int):
        self.port = port
        self.cookies = {}

    def _send(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = dict(headers or {})
        headers["Host"] = "127.0.0.1"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        start = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        seconds = time.perf_counter() - start
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response, content, seconds

    def get(self, path, headers=None):
        """(seconds, status, query count) of one GET (``headers``: e.g. HX-Request, for a part a page loads)."""
        response, _content, seconds = self._send("GET", path, headers=headers)
        return seconds, response.status, int(response.headers.get("X-Bench-Queries", "-1"))

    def log_in(self, email, password):
        _response, content, _seconds = self._send("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1).decode()
        body = urlencode({"login": email, "password": password, "csrfmiddlewaretoken": token})
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": "http://127.0.0.1/accounts/login/"}
        response, _content, _seconds = self._send("POST", "/accounts/login/", body, headers)
        if response.status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"Could not log in as {email}: HTTP {response.status}")
        return self
