# tests/integ/syslog_rsyslogd.bash - a real rsyslogd for the syslog tests
# (sourced after lib.sh; not a test itself: ctest only runs *.sh).
#
# rs_start MODE [PORT]: start rsyslogd (Debian's, -n -f CONF -i PIDFILE) in
#   its own work dir under $T, receiving on 127.0.0.1 and writing every
#   message's raw bytes (%rawmsg%, one per line) to $RS_OUT.  MODE is udp,
#   tcp, tls (server cert only), tls-mutual (client cert required), unix
#   (imuxsock datagram socket $RS_SOCK) or unix-stream (imptcp on $RS_SOCK).
#   Sets RS_PORT, RS_SOCK, RS_OUT, RS_PID.  Stopped at exit (on_exit).
#   RS_EXTRA: more config statements (e.g. a main_queue() that slows it).
# rs_stop: SIGTERM and wait.   rs_restart: start again, same port and file.
# syslog_certs DIR: a CA, a server cert for 127.0.0.1/localhost, a client
#   cert, and an unrelated CA, made with the openssl CLI.

RSYSLOGD=${RSYSLOGD:-/usr/sbin/rsyslogd}
[ -x "$RSYSLOGD" ] || fail "rsyslogd not installed (scripts/test installs rsyslog)"

syslog_certs() {
	local d=$1
	mkdir -p "$d"
	(
		cd "$d"
		openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=auditship test CA" \
			-keyout ca.key -out ca.pem -addext basicConstraints=critical,CA:TRUE \
			-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
		openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=some other CA" \
			-keyout other-ca.key -out other-ca.pem -addext basicConstraints=critical,CA:TRUE 2>/dev/null
		openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr 2>/dev/null
		printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >server.ext
		openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
			-extfile server.ext -out server.pem 2>/dev/null
		openssl req -newkey rsa:2048 -nodes -subj "/CN=auditship-client" -keyout client.key -out client.csr 2>/dev/null
		printf 'extendedKeyUsage=clientAuth\n' >client.ext
		openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
			-extfile client.ext -out client.pem 2>/dev/null
		# a server cert whose names are not ours (hostname mismatch)
		openssl req -newkey rsa:2048 -nodes -subj "/CN=elsewhere.example" -keyout wrong.key -out wrong.csr 2>/dev/null
		printf 'subjectAltName=DNS:elsewhere.example\n' >wrong.ext
		openssl x509 -req -in wrong.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
			-extfile wrong.ext -out wrong.pem 2>/dev/null
		chmod 600 ./*.key
	) || fail "openssl: cannot make test certificates"
}

rs_start() {
	RS_MODE=$1
	RS_DIR=${RS_DIR:-$T/rsyslog}
	RS_OUT=$RS_DIR/received.log
	RS_SOCK=$RS_DIR/log.sock
	RS_PORT=${2:-${RS_PORT:-$(free_port)}}
	RS_SERVER_CERT=${RS_SERVER_CERT:-server}
	mkdir -p "$RS_DIR"
	local input tls_global=""
	case "$RS_MODE" in
	udp) input="module(load=\"imudp\")
input(type=\"imudp\" address=\"127.0.0.1\" port=\"$RS_PORT\" rcvbufSize=\"4m\")" ;;
	tcp) input="module(load=\"imtcp\" maxSessions=\"20\")
input(type=\"imtcp\" address=\"127.0.0.1\" port=\"$RS_PORT\")" ;;
	tls|tls-mutual)
		local auth=anon
		[ "$RS_MODE" = tls-mutual ] && auth=x509/certvalid
		tls_global="DefaultNetstreamDriverCAFile=\"$CERTS/ca.pem\"
  DefaultNetstreamDriverCertFile=\"$CERTS/$RS_SERVER_CERT.pem\"
  DefaultNetstreamDriverKeyFile=\"$CERTS/$RS_SERVER_CERT.key\""
		input="module(load=\"imtcp\" maxSessions=\"20\" StreamDriver.Name=\"ossl\" StreamDriver.Mode=\"1\" StreamDriver.AuthMode=\"$auth\")
input(type=\"imtcp\" address=\"127.0.0.1\" port=\"$RS_PORT\")" ;;
	unix) input="module(load=\"imuxsock\" SysSock.Use=\"off\")
input(type=\"imuxsock\" Socket=\"$RS_SOCK\" UseSpecialParser=\"off\" RateLimit.Interval=\"0\" CreatePath=\"on\")" ;;
	unix-stream) input="module(load=\"imptcp\")
input(type=\"imptcp\" path=\"$RS_SOCK\" unlink=\"on\")" ;;
	*) fail "rs_start: unknown mode $RS_MODE" ;;
	esac
	cat >"$RS_DIR/rsyslog.conf" <<EOF
global(workDirectory="$RS_DIR" maxMessageSize="4m" net.enableDNS="off"
  $tls_global)
${RS_EXTRA:-}
$input
template(name="raw" type="string" string="%rawmsg%\n")
action(type="omfile" file="$RS_OUT" template="raw")
EOF
	rm -f "$RS_DIR/rsyslogd.pid"
	"$RSYSLOGD" -n -f "$RS_DIR/rsyslog.conf" -i "$RS_DIR/rsyslogd.pid" \
		>>"$RS_DIR/rsyslogd.log" 2>&1 &
	RS_PID=$!
	on_exit "kill $RS_PID; wait $RS_PID"
	case "$RS_MODE" in
	udp) wait_for "rsyslogd on udp $RS_PORT" 10 rs_listening -u "sport = :$RS_PORT" ;;
	unix) wait_for "rsyslogd on $RS_SOCK" 10 test -S "$RS_SOCK" ;;
	unix-stream) wait_for "rsyslogd on $RS_SOCK" 10 rs_listening -x "src $RS_SOCK" ;;
	*) wait_for "rsyslogd on tcp $RS_PORT" 10 rs_listening -t "sport = :$RS_PORT" ;;
	esac
}

rs_listening() {
	kill -0 "$RS_PID" 2>/dev/null || fail "rsyslogd died: $(cat "$RS_DIR/rsyslogd.log")"
	[ -n "$(ss -Hl "$1" "$2" 2>/dev/null)" ]
}

rs_stop() {
	kill -TERM "$RS_PID" 2>/dev/null || true
	wait "$RS_PID" 2>/dev/null || true
}

rs_restart() { rs_start "$RS_MODE" "$RS_PORT"; }

# rs_count: messages received so far.
rs_count() { [ -f "$RS_OUT" ] && wc -l <"$RS_OUT" || echo 0; }

# rs_wait_count N SECONDS: until rsyslogd wrote at least N messages.  The
# budget is for a stall: while messages keep arriving the wait goes on, so
# a receiver slowed by a busy machine is not mistaken for a lost message.
rs_wait_count() {
	local n=$1 secs=$2 i=0 now last=-1
	while ((i < secs * 10)); do
		now=$(rs_count)
		[ "$now" -ge "$n" ] && return 0
		if [ "$now" -gt "$last" ]; then last=$now i=0; else i=$((i + 1)); fi
		sleep 0.1
	done
	fail "rsyslogd wrote $(rs_count) of $n messages, none for ${secs}s"
}

# syslog_check ARGS...: compare what rsyslogd wrote with the day files.
syslog_check() { python3 "$SRC_DIR/tests/integ/syslog_check.py" "$@"; }

# syslog_setup DEST_LINES...: audit dir, state dir, config with one
# [destination syslog] holding the given lines.
syslog_setup() {
	SRC="$T/audit"; STATE="$T/state"; CONF="$T/auditship.ini"
	mkdir -p "$SRC"
	{
		printf '[auditship]\nstate_dir = %s\nhostname = testhost\nsettle = 1s\n\n' "$STATE"
		printf '[source]\ndir = %s\n\n[destination syslog]\ntype = syslog\n' "$SRC"
		# These tests count exact records; seal records (SPEC §7) are
		# tested by seal_records.sh (SYSLOG_SEAL=true).
		printf 'seal = %s\n' "${SYSLOG_SEAL:-false}"
		printf '%s\n' "$@"
	} >"$CONF"
	chmod 600 "$CONF"
}

# count_lines FILE...: the events in day files (non-empty complete lines).
count_lines() {
	python3 -c 'import sys; print(sum(1 for f in sys.argv[1:] for l in open(f, "rb").read().split(b"\n")[:-1] if l.rstrip(b"\r")))' "$@"
}

backdate() { touch -d '1 hour ago' "$1"; }
