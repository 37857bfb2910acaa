"""A local SMTP server for the benchmarks: just enough SMTP for smtplib, every message accepted and counted.

It runs as a process of its own, as a real mail server would (in a thread of
the measuring process it would share that process's interpreter lock and slow
down what it measures). 127.0.0.1 only, no TLS, no authentication; messages
are read and dropped. ``start()`` launches it and answers its port;
``counts(port)`` asks it how many messages and connections it has had since the
last ``counts(port, reset=True)`` (a connection of its own, not counted).

    python bench/smtp_sink.py   # prints the port, then serves until stopped
"""

import socket
import socketserver
import subprocess
import sys
import threading


class Sink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.received = 0
        self.connections = 0
        self.lock = threading.Lock()


class Handler(socketserver.StreamRequestHandler):
    def reply(self, text):
        self.wfile.write(text.encode() + b"\r\n")

    def handle(self):
        with self.server.lock:
            self.server.connections += 1
        self.reply("220 sink ESMTP")
        while line := self.rfile.readline():
            verb = line[:5].strip().upper()
            if verb == b"EHLO":
                self.reply("250-sink\r\n250 8BITMIME")
            elif verb == b"DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                while (data := self.rfile.readline()) and data.rstrip(b"\r\n") != b".":
                    pass
                with self.server.lock:
                    self.server.received += 1
                self.reply("250 OK")
            elif verb in (b"XSTAT", b"XRSET"):  # the bench asking: not a connection of the measured kind
                with self.server.lock:
                    self.server.connections -= 1
                    self.reply(f"250 {self.server.received} {self.server.connections}")
                    if verb == b"XRSET":
                        self.server.received = self.server.connections = 0
            elif verb == b"QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("250 OK")


def start() -> tuple[subprocess.Popen, int]:
    """The sink in a process of its own, and its port. Stop it with ``process.terminate()``."""
    process = subprocess.Popen([sys.executable, __file__], stdout=subprocess.PIPE, text=True)
    return process, int(process.stdout.readline())


def counts(port: int, *, reset: bool = False) -> tuple[int, int]:
    """(messages received, connections made) since the last reset."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        stream = connection.makefile("rwb")
        stream.readline()
        stream.write(b"XRSET\r\n" if reset else b"XSTAT\r\n")
        stream.flush()
        _code, received, connections = stream.readline().split()
        stream.write(b"QUIT\r\n")
        stream.flush()
        stream.readline()
    return int(received), int(connections)


def main():
    sink = Sink()
    print(sink.server_address[1], flush=True)
    sink.serve_forever()


if __name__ == "__main__":
    main()
