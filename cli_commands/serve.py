"""zonescore serve: the weight-tuning page in a browser, answered by the library."""
from __future__ import annotations

import click

from scoring.messages import tr

from .common import data_option, engine_option, rules_option, sheet_option
from .i18n import command, option

LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")


@command(short_help="Tune the weights together in a browser.")
@rules_option
@data_option
@sheet_option
@engine_option
@option("--host", default="127.0.0.1", show_default=True,
        help="Address to listen on; any address other than this computer's own needs --token.")
@option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
        help="Port to listen on (0: any free port).")
@option("--token", default=None, metavar="TEXT",
        help="Access token every request must carry [default: none on 127.0.0.1, else a generated one].")
@option("--no-browser", is_flag=True, default=False, help="Do not open the page in the default browser.")
def serve(rules_path: str, data_path: tuple[str, ...], sheet: str | None, engine: str, host: str, port: int,
          token: str | None, no_browser: bool) -> None:
    """Start a local web page to tune the weights: sliders for every weight, the ranking, who enters and
    leaves each outcome, explanations and robustness, all computed by the same functions as whatif."""
    import secrets

    from scoring.errors import OptionError, Problem
    from scoring.web.server import bind, is_loopback, page_address

    if token is None and not is_loopback(host):
        token = secrets.token_urlsafe(18)
        click.echo(tr("Listening on {host}: every request needs the access token {token}", host=host,
                      token=token), err=True)
    try:
        sock = bind(host, port)
    except OSError as error:
        raise OptionError(tr("Cannot listen on {host}:{port}", host=host, port=port), [Problem(
            str(error.strerror or error), field="--port", found=str(port),
            expected=tr("a free port (or --port 0 for any)"))]) from None
    hosts = LOCAL_NAMES if token is None else None  # on 127.0.0.1 without a token: only its own names
    _serve(rules_path, data_path, sheet, engine, sock, page_address(sock, token), token, hosts, no_browser)


def _serve(rules_path, data_path, sheet, engine, sock, address, token, hosts, no_browser) -> None:
    from scoring.web.app import create_app
    from scoring.web.server import serve_forever
    from scoring.web.session import Session

    try:
        app = create_app(Session(rules_path, data_path, sheet, engine), token, hosts)
    except BaseException:
        sock.close()
        raise

    def ready() -> None:
        click.echo(tr("Serving the tuning page at {address} (Ctrl+C stops)", address=address), err=True)
        if not no_browser:
            import webbrowser

            webbrowser.open(address)

    serve_forever(app, sock, ready)


COMMANDS = (serve,)
