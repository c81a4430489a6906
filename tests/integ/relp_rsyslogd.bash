# tests/integ/relp_rsyslogd.bash - a real rsyslogd with imrelp (Debian's
# rsyslog-relp) for the relp tests (sourced after lib.sh; not a test).
#
# relp_start MODE [PORT]: rsyslogd -n receiving RELP on 127.0.0.1 (MODE
#   plain, or tls with $CERTS/server.{pem,key} and $CERTS/ca.pem, made by
#   syslog_certs; $RS_SERVER_CERT picks another pair), writing every message's raw bytes (%rawmsg%, one per
#   line) to $RS_OUT.  The main queue is Direct, so imrelp answers "rsp 200"
#   only after omfile wrote the message: a receiver killed with SIGKILL has
#   lost nothing it acknowledged.  Sets RS_PORT, RS_OUT, RS_PID.
# ASan builds take librelp's own leaks from relp_lsan.supp.
# relp_kill: SIGKILL and wait.  relp_restart: start again, same port/file.
# relp_setup DEST_LINES...: audit dir, state dir, config with one
#   [destination rl] type = relp holding the given lines (seal = false
#   unless RELP_SEAL=true).
. "$(dirname "${BASH_SOURCE[0]}")/syslog_rsyslogd.bash"

# ASan builds: librelp 1.11's own leaks are not ours (relp_lsan.supp).
export LSAN_OPTIONS="suppressions=$SRC_DIR/tests/integ/relp_lsan.supp:fast_unwind_on_malloc=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

relp_start() {
	RS_MODE=$1
	RS_DIR=${RS_DIR:-$T/rsyslog}
	RS_OUT=$RS_DIR/received.log
	RS_PORT=${2:-${RS_PORT:-$(free_port)}}
	mkdir -p "$RS_DIR"
	local tls=""
	if [ "$RS_MODE" = tls ]; then
		tls="tls=\"on\" tls.cacert=\"$CERTS/ca.pem\" tls.mycert=\"$CERTS/${RS_SERVER_CERT:-server}.pem\" tls.myprivkey=\"$CERTS/${RS_SERVER_CERT:-server}.key\""
	fi
	cat >"$RS_DIR/rsyslog.conf" <<EOF
global(workDirectory="$RS_DIR" maxMessageSize="4m" net.enableDNS="off")
main_queue(queue.type="Direct")
module(load="imrelp" tls.tlslib="openssl")
input(type="imrelp" address="127.0.0.1" port="$RS_PORT" maxDataSize="4m" $tls)
template(name="raw" type="string" string="%rawmsg%\n")
action(type="omfile" file="$RS_OUT" template="raw")
EOF
	rm -f "$RS_DIR/rsyslogd.pid"
	"$RSYSLOGD" -n -f "$RS_DIR/rsyslog.conf" -i "$RS_DIR/rsyslogd.pid" \
		>>"$RS_DIR/rsyslogd.log" 2>&1 &
	RS_PID=$!
	on_exit "kill -9 $RS_PID; wait $RS_PID"
	wait_for "rsyslogd imrelp on $RS_PORT" 10 rs_listening -t "sport = :$RS_PORT"
}

relp_kill() {
	kill -KILL "$RS_PID" 2>/dev/null || true
	wait "$RS_PID" 2>/dev/null || true
}

relp_restart() { relp_start "$RS_MODE" "$RS_PORT"; }

relp_setup() {
	SRC="$T/audit"; STATE="$T/state"; CONF="$T/auditship.ini"
	mkdir -p "$SRC"
	{
		printf '[auditship]\nstate_dir = %s\nhostname = testhost\nsettle = 1s\n\n' "$STATE"
		printf '[source]\ndir = %s\n\n[destination rl]\ntype = relp\n' "$SRC"
		# These tests count exact records; seal records (SPEC §7) are
		# tested by seal_records_relp_otlp.sh (RELP_SEAL=true).
		printf 'seal = %s\n' "${RELP_SEAL:-false}"
		printf '%s\n' "$@"
	} >"$CONF"
	chmod 600 "$CONF"
}
