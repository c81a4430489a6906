#!/usr/bin/env python3
"""A RELP receiver that answers 500 on demand (python3 stdlib): what no
real rsyslogd does when asked.  It speaks RELP (rsyslog's spec, relp.html:
"TXNR SP COMMAND SP DATALEN [SP DATA] LF") strictly: transaction numbers
must count up from 1 in each session, the first command must be "open"
with relp_version and commands=syslog, DATALEN must match; any violation
closes the session and is logged to --record.violations.

usage: relp_fake.py PORT --record FILE [--fail N[,N...]]
  --fail N: answer "500" to the N-th syslog frame received (counting from
  1 over the receiver's lifetime); every other frame is answered "200 OK"
  and its message appended to FILE, one per line.
"""
import argparse, socket, threading


class Bad(Exception):
    pass


def read_frame(f):
    def token():
        b = bytearray()
        while True:
            c = f.read(1)
            if not c:
                if b:
                    raise Bad("EOF inside a header")
                return None
            if c == b" ":
                return bytes(b)
            b += c
            if len(b) > 32:
                raise Bad("header token too long")
    txnr = token()
    if txnr is None:
        return None
    cmd = token()
    if cmd is None:
        raise Bad("EOF after TXNR")
    # DATALEN, then SP DATA or the trailer
    b = bytearray()
    while True:
        c = f.read(1)
        if not c:
            raise Bad("EOF in DATALEN")
        if c in (b" ", b"\n"):
            break
        b += c
    if not b.isdigit() or not txnr.isdigit():
        raise Bad("TXNR/DATALEN not digits: %r %r" % (txnr, bytes(b)))
    n = int(b)
    data = b""
    if c == b" ":
        data = f.read(n)
        if len(data) != n:
            raise Bad("short DATA")
        c = f.read(1)
    elif n != 0:
        raise Bad("DATALEN %d without DATA" % n)
    if c != b"\n":
        raise Bad("no LF trailer")
    return int(txnr), cmd.decode(), data


class State:
    def __init__(self, a):
        self.lock = threading.Lock()
        self.n = 0
        self.fail = set(int(x) for x in a.fail.split(",") if x)
        self.rec = open(a.record, "ab")
        self.bad = open(a.record + ".violations", "a")


def session(conn, st):
    f = conn.makefile("rb")
    want = 1

    def rsp(txnr, text):
        conn.sendall(b"%d rsp %d %s\n" % (txnr, len(text), text))
    try:
        while True:
            fr = read_frame(f)
            if fr is None:
                return
            txnr, cmd, data = fr
            if txnr != want:
                raise Bad("txnr %d, want %d" % (txnr, want))
            want += 1
            if txnr == 1:
                if cmd != "open" or b"relp_version=" not in data or b"commands=syslog" not in data:
                    raise Bad("first command %r %r" % (cmd, data[:80]))
                rsp(1, b"200 OK\nrelp_version=0\nrelp_software=relp_fake\ncommands=syslog")
            elif cmd == "syslog":
                with st.lock:
                    st.n += 1
                    fail = st.n in st.fail
                    if not fail:
                        st.rec.write(data + b"\n")
                        st.rec.flush()
                rsp(txnr, b"500 refused by relp_fake" if fail else b"200 OK")
            elif cmd == "close":
                rsp(txnr, b"200 OK")
                conn.sendall(b"0 serverclose 0\n")
                return
            else:
                raise Bad("command %r" % cmd)
    except Bad as e:
        with st.lock:
            st.bad.write(str(e) + "\n")
            st.bad.flush()
    finally:
        conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("--record", required=True)
    ap.add_argument("--fail", default="")
    a = ap.parse_args()
    st = State(a)
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", a.port))
    s.listen(16)
    while True:
        c, _ = s.accept()
        threading.Thread(target=session, args=(c, st), daemon=True).start()


main()
