#!/usr/bin/env bash
# Signals and disk (issue 12 item 5): a run stopped by SIGINT or SIGTERM, a full disk (a file
# size limit, `ulimit -f`) and an unwritable output path leave no run directory and no
# temporary one behind; the disk cases exit 2 with a clear message.
# Usage: check_signals_disk.sh DLSIM SCENARIO WORKDIR
set -u
set -m  # job control: background jobs keep the default SIGINT action
dlsim=$1 scenario=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }
left() { find "$work/$1" -mindepth 1 2>/dev/null | head -1; }

# 1-2. SIGINT and SIGTERM one second into a 24 h FDR (about 5 s of work): the process ends
# by the signal (status 128 + signal), before anything was written.
for sig in INT TERM; do
  mkdir -p "$work/$sig"
  "$dlsim" run "$scenario" -q -o "$work/$sig/out" & pid=$!
  sleep 1
  kill -"$sig" "$pid"
  wait "$pid"; rc=$?
  [ "$rc" -ge 128 ] || fail "SIG$sig: exit $rc, expected death by the signal"
  [ -z "$(left "$sig")" ] || fail "SIG$sig left $(left "$sig")"
done

# 3. A file size limit of 200 blocks (100 KiB with bash's 512-byte blocks; the FDR's
# timeseries/pods.csv alone is tens of MB): exit 2, the reason, nothing left.
mkdir -p "$work/full"
msg=$( (ulimit -f 200; "$dlsim" run "$scenario" -q --set duration=1h -o "$work/full/out") 2>&1 )
rc=$?
[ "$rc" -eq 2 ] || fail "full disk: exit $rc, expected 2 ($msg)"
echo "$msg" | grep -q "error: cannot write the run directory '.*/full/out': cannot write .*: File too large" \
  || fail "full disk: message '$msg'"
[ -z "$(left full)" ] || fail "full disk left $(left full)"

# 4. An output path under a regular file: exit 2 with the reason.
: > "$work/a-file"
msg=$("$dlsim" run "$scenario" -q --set duration=1h -o "$work/a-file/out" 2>&1); rc=$?
[ "$rc" -eq 2 ] || fail "unwritable path: exit $rc, expected 2 ($msg)"
echo "$msg" | grep -q "error: cannot write the run directory" || fail "unwritable: '$msg'"
echo ok
