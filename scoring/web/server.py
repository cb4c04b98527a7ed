"""Running the application: uvicorn on a socket bound first (so that port 0 means a free port and
the address printed is the real one), in the foreground (``zonescore serve``) or in a thread
(the tests and the benchmark)."""
from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time

from ..messages import tr

LOOPBACK_NAMES = ("localhost",)


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: a free port); OSError when it cannot bind."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host.strip("[]"), port))
    sock.listen(128)
    return sock


def page_address(sock: socket.socket, token: str | None = None) -> str:
    host, port = sock.getsockname()[:2]
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{port}/" + (f"?token={token}" if token else "")


def uvicorn_server(app):
    import uvicorn

    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", timeout_keep_alive=30)
    return uvicorn.Server(config)


def serve_forever(app, sock: socket.socket, on_ready=None) -> None:
    """Serve ``app`` on ``sock`` until interrupted (Ctrl+C); ``on_ready()`` once it accepts requests."""
    server = uvicorn_server(app)
    if on_ready is not None:
        threading.Thread(target=_when_started, args=(server, on_ready), daemon=True).start()
    server.run(sockets=[sock])


def _when_started(server, on_ready) -> None:
    while not server.started and not server.should_exit:
        time.sleep(0.02)
    if server.started:
        on_ready()


@contextlib.contextmanager
def running(app, host: str = "127.0.0.1"):
    """Serve ``app`` on a free local port in a background thread; yields the base address."""
    sock = bind(host, 0)
    server = uvicorn_server(app)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError(tr("the server did not start"))
            time.sleep(0.01)
        yield page_address(sock).rstrip("/")
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
