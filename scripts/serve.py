#!/usr/bin/env python3
"""A plain static file server for the preview page, on 127.0.0.1 only.

    python3 scripts/serve.py DIR [--port N] [--port-file F] [--quiet] [--query Q]

Serves DIR like `python3 -m http.server --bind 127.0.0.1` (which also works for the page), with two
differences: `Cache-Control: no-store`, so a rebuilt wasm module is never served from the browser's
cache, and a busy port falls back to a free one. Prints the URL once it is listening (with ?Q
appended when --query is given); with --port-file, also writes the port there (the page tests
read it).
"""
import argparse
import functools
import http.server
import socketserver
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    quiet = False
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
    }

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format, *args):
        if not self.quiet:
            super().log_message(format, *args)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--port-file")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--query", default="")
    args = ap.parse_args()

    Handler.quiet = args.quiet
    handler = functools.partial(Handler, directory=args.dir)
    try:
        server = Server(("127.0.0.1", args.port), handler)
    except OSError as e:
        print(f"port {args.port} is busy ({e.strerror}); using a free port instead", file=sys.stderr)
        server = Server(("127.0.0.1", 0), handler)
    port = server.server_address[1]
    if args.port_file:
        with open(args.port_file, "w") as f:
            f.write(f"{port}\n")
    query = f"?{args.query}" if args.query else ""
    print(f"Serving {args.dir} at http://127.0.0.1:{port}/{query}  (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
