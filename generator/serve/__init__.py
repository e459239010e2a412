"""The dev server: `catalog serve` builds, serves on loopback, rebuilds on change and reloads open pages.

state.py    what is being served (the last good build) and the problems of the latest attempt
handler.py  HTTP requests: files, the live-reload hook (/_catalog/…), server-sent events, POST /api/v1
cms_api.py  the editor's local backend (Decap CMS at /admin/): reads and checked saves of content/
rebuild.py  full builds through generator.pipeline.build, the watcher, and the background build after edits
preview.py  the content in memory between rebuilds (a frozen Model) and what an edit touches
update.py   an edit of entry files answered from memory, in two publications
pages.py    pages rendered in memory, and which served pages a publication changes
server.py   threads, start and a clean stop
"""

from .server import DevServer, ServeOptions, run

__all__ = ["DevServer", "ServeOptions", "run"]
