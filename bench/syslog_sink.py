#!/usr/bin/env python3
"""bench/syslog's plain receiver: accepts tcp (or TLS with CERT KEY)
connections and only reads and counts bytes, so the receiver is not what
is measured.  Prints the running total after each connection closes.

usage: syslog_sink.py PORT [CERT KEY]
"""
import socket, ssl, sys

def main():
    port = int(sys.argv[1])
    ctx = None
    if len(sys.argv) > 3:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[2], sys.argv[3])
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(16)
    total = 0
    while True:
        c, _ = s.accept()
        try:
            if ctx is not None:
                c = ctx.wrap_socket(c, server_side=True)
            while True:
                b = c.recv(1 << 20)
                if not b:
                    break
                total += len(b)
        except (OSError, ssl.SSLError):
            pass
        c.close()
        print(total, flush=True)

main()
