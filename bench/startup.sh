#!/usr/bin/env bash
# Startup benchmark: builds once, then starts the runtime N times on embedded defaults (sandboxes, embedded broker
# and database, every connector the shipped application.properties enables), each time on a fresh data directory,
# and prints the median time from process launch to /observe/health reporting UP, and the resident set size (RSS)
# right after that. Targets for the finished runtime: <= 3 s to ready and <= 300 MB RSS on a 2-core machine.
# It prints figures; it never fails a build. Usage: bench/startup.sh [runs] (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-5}"
JAVA_OPTS="${JAVA_OPTS:-}"

if [[ "${SKIP_BUILD:-}" != "1" ]]; then
  mvn -B -q -DskipTests package >/dev/null
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

times=(); rss=()
for i in $(seq 1 "$RUNS"); do
  data=$(mktemp -d /tmp/vendorlink-bench-XXXX)
  mport=$(free_port); sport=$(free_port)
  args=(-Dvendorlink.data.dir="$data" -Dcamel.management.port="$mport" -Dcamel.server.port="$sport")
  for v in sentinel secutix certna spaces centagate; do args+=(-Dvendorlink.sandbox.$v.port="$(free_port)"); done
  start=$(date +%s%N)
  # shellcheck disable=SC2086
  java $JAVA_OPTS "${args[@]}" -jar target/vendorlink.jar >"$data/run.log" 2>&1 &
  pid=$!
  up=""
  for _ in $(seq 1 600); do   # at most 60 s
    if curl -s -m 1 "http://127.0.0.1:$mport/observe/health" 2>/dev/null | grep -q '"status":"UP"'; then up=1; break; fi
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  end=$(date +%s%N)
  if [[ -z "$up" ]]; then
    echo "run $i: did not report UP within 60 s (see $data/run.log)"; kill -9 "$pid" 2>/dev/null || true; continue
  fi
  ms=$(( (end - start) / 1000000 ))
  kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  times+=("$ms"); rss+=("$kb")
  echo "run $i: ready in ${ms} ms, RSS $((kb / 1024)) MB"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {if (NR==0) print "n/a"; else if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }
echo
echo "method: $RUNS cold starts of 'java -jar target/vendorlink.jar' on fresh data directories, time from launch to"
echo "        /observe/health UP (polled every 100 ms), RSS from /proc/<pid>/status at that moment; $(nproc) cores, $(java -version 2>&1 | head -1)"
echo "median time to ready: $(median "${times[@]}") ms   (target <= 3000 ms)"
echo "median RSS after start: $(( $(median "${rss[@]}") / 1024 )) MB   (target <= 300 MB)"
