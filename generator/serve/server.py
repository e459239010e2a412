"""`catalog serve`: build, serve on loopback, rebuild on change, reload open pages.

Four kinds of threads: the HTTP server (one thread per connection, joined on
shutdown), the watcher that answers changes, the one that runs a full build
after pages were updated in memory (search index, data files), and the
caller's, which only waits for Ctrl-C. Stopping closes the live state first so that event streams end, then
the server, then the watcher; the port is free when ``stop`` returns.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from typing import TextIO

from ..config import BuildOptions
from .cms_api import LocalBackend
from .handler import make_handler
from .rebuild import Rebuilder, Say, catch_up, printer, watch
from .state import LiveState

EXIT_OK, EXIT_FAILED = 0, 3
LOOPBACK = ("127.0.0.1", "::1", "localhost")


@dataclass(frozen=True)
class ServeOptions:
    build: BuildOptions
    """The run's options as resolved for check and build (config.resolve_options); the
    server builds them for its own address (``BuildOptions.preview``)."""
    host: str = "127.0.0.1"
    port: int = 8000


class _Server(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True
    """server_close() joins every request thread: nothing is left running."""
    request_queue_size = 256
    allow_reuse_address = True


class _Server6(_Server):
    address_family = socket.AF_INET6


class DevServer:
    """The dev server of one project; ``start()``, then ``stop()`` (or use ``with``)."""

    def __init__(self, options: ServeOptions, *, say: Say | None = None) -> None:
        self.options = options
        self.say = say or printer(quiet=options.build.quiet)
        self.state = LiveState()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._httpd: _Server | None = None
        self.rebuilder: Rebuilder | None = None

    @property
    def port(self) -> int:
        assert self._httpd is not None
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        host = self.options.host
        shown = "127.0.0.1" if host in ("", "0.0.0.0") else host
        shown = f"[{shown}]" if ":" in shown else shown
        return f"http://{shown}:{self.port}/"

    def start(self) -> None:
        """Bind the port (OSError when taken), build once, then serve and watch."""
        server_class = _Server6 if ":" in self.options.host else _Server
        handler = make_handler(self.state, LocalBackend(self.options.build))
        self._httpd = server_class((self.options.host, self.options.port), handler)
        handler.origin = self.url.rstrip("/")
        project = self.options.build.project
        self.rebuilder = Rebuilder(self.options.build, self.url, self.state, say=self.say)
        paths = [project / "content", project / "themes"]
        # The watcher first: a file saved during the first build is built after it.
        watcher = threading.Thread(
            target=watch, args=(paths, self.rebuilder, self._stop), kwargs={"say": self.say}, name="catalog-watch"
        )
        watcher.start()
        self._threads = [watcher]
        self.rebuilder.build()
        self._threads += [
            threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.2}, name="catalog-http"),
            threading.Thread(target=catch_up, args=(self.rebuilder, self._stop), name="catalog-catch-up"),
        ]
        for thread in self._threads[1:]:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.state.close()
        if self._httpd is not None:
            if any(t.name == "catalog-http" and t.is_alive() for t in self._threads):
                self._httpd.shutdown()
            self._httpd.server_close()
        for thread in self._threads:
            thread.join()
        if self.rebuilder is not None:
            self.rebuilder.close()
        self._threads = []
        self._httpd = None

    def __enter__(self) -> DevServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def run(options: ServeOptions, *, stream: TextIO | None = None) -> int:
    """The `catalog serve` command: runs until Ctrl-C (or SIGTERM), then stops cleanly."""
    say = printer(stream, quiet=options.build.quiet)
    server = DevServer(options, say=say)
    try:
        server.start()
        if options.host not in LOOPBACK:
            say(
                f"注意: --host {options.host} では、同じネットワークのほかの端末からもこのプレビューが見えます",
                always=True,
            )
        say(f"プレビュー: {server.url}（下書きも表示します。止めるには Ctrl-C）", always=True)
        _wait_for_interrupt()
    except OSError as exc:
        say(
            f"サーバーを起動できません（{options.host}:{options.port}: {exc.strerror or exc}）。"
            f"ほかのプログラムが使っているときは --port {options.port + 1} のように別の番号を指定してください",
            always=True,
        )
        return EXIT_FAILED
    except KeyboardInterrupt:
        say("停止しています…", always=True)
    finally:
        server.stop()
    say("プレビューを停止しました", always=True)
    return EXIT_OK


def _wait_for_interrupt() -> None:
    import signal

    def terminate(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, terminate)
    forever = threading.Event()
    while not forever.wait(0.5):
        pass


__all__ = ["DevServer", "ServeOptions", "run"]
