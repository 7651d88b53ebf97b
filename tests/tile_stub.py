"""A local map-tile server for browser tests and screenshots (this machine has no
internet): every /{z}/{x}/{y}.png is a plain 256-pixel tile with a faint grid, and
each request is counted so a test can tell that the map asked for tiles."""

from __future__ import annotations

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def _tile() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (256, 256), (238, 240, 232))
    draw = ImageDraw.Draw(image)
    for i in range(0, 256, 64):
        draw.line((i, 0, i, 255), fill=(226, 229, 218))
        draw.line((0, i, 255, i), fill=(226, 229, 218))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


class TileStub:
    def __init__(self, port: int = 0):
        tile = _tile()
        stub = self
        self.requests: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 — the http.server API
                stub.requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(tile)))
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()
                self.wfile.write(tile)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/{{z}}/{{x}}/{{y}}.png"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


if __name__ == "__main__":
    import sys
    import time

    stub = TileStub(int(sys.argv[1]) if len(sys.argv) > 1 else 8765)
    print(stub.url, flush=True)
    while True:
        time.sleep(3600)
