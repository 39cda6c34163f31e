#!/usr/bin/env python3
"""The outside world of bench/restart.sh: an SMTP server that takes every mail and a webhook receiver that answers
204, each writing one line per delivery with the message's id (Message-ID header; Portlink-Webhook-Id header), so
that lost and duplicated deliveries can be counted against the outbox.

usage: restart_sinks.py SMTP_PORT WEBHOOK_PORT OUT_DIR   (runs until killed)
"""
import http.server
import os
import socketserver
import sys
import threading

smtp_port, hook_port, out_dir = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
lock = threading.Lock()
mails = open(os.path.join(out_dir, "mails-received.txt"), "a", buffering=1)
hooks = open(os.path.join(out_dir, "webhooks-received.txt"), "a", buffering=1)


def write(f, line):
    with lock:
        f.write(line + "\n")


class Smtp(socketserver.StreamRequestHandler):
    def handle(self):
        def say(text):
            self.wfile.write((text + "\r\n").encode())
            self.wfile.flush()
        say("220 restart-bench-smtp")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line.decode(errors="replace").strip().upper()
            if verb.startswith("EHLO"):
                self.wfile.write(b"250-restart-bench-smtp\r\n250 8BITMIME\r\n")
                self.wfile.flush()
            elif verb.startswith("DATA"):
                say("354 go on")
                message_id = None
                in_headers = True
                while True:
                    data = self.rfile.readline()
                    if data in (b".\r\n", b""):
                        break
                    if in_headers:
                        if data in (b"\r\n", b"\n"):
                            in_headers = False
                        elif data.lower().startswith(b"message-id:"):
                            message_id = data.split(b":", 1)[1].strip().decode(errors="replace")
                if data == b"":
                    return  # the connection closed before the end of data: nothing was taken
                write(mails, message_id or "NO-MESSAGE-ID")
                say("250 taken")
            elif verb.startswith("QUIT"):
                say("221 bye")
                return
            else:
                say("250 ok")


class Hook(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        write(hooks, self.headers.get("Portlink-Webhook-Id", "NO-ID"))
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class Threading(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class HookServer(http.server.ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True


smtp = Threading(("127.0.0.1", smtp_port), Smtp)
threading.Thread(target=smtp.serve_forever, daemon=True).start()
HookServer(("127.0.0.1", hook_port), Hook).serve_forever()
