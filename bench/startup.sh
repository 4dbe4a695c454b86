#!/usr/bin/env bash
# Startup benchmark: builds once, then starts the runtime N times on embedded defaults (sandboxes, embedded broker
# and database, every connector the shipped application.properties enables), each time on a fresh data directory,
# and prints the median time from process launch to /observe/health reporting UP, and the resident set size (RSS)
# right after that. Targets for the finished runtime: <= 3 s to ready and <= 300 MB RSS on a 2-core machine.
# With CDS=1 it also measures the same starts with an AppCDS archive (JDK class-data sharing, created by one
# training run into target/vendorlink.jsa), the flag a container image can ship with.
# It prints figures; it never fails a build. Usage: [CDS=1] bench/startup.sh [runs] (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-5}"
JAVA_OPTS="${JAVA_OPTS:-}"

if [[ "${SKIP_BUILD:-}" != "1" ]]; then
  mvn -B -q -DskipTests package >/dev/null
fi

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {if (NR==0) print 0; else if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

measure() {   # $1 = label, $2 = extra JVM options
times=(); rss=()
for i in $(seq 1 "$RUNS"); do
  data=$(mktemp -d /tmp/vendorlink-bench-XXXX)
  mport=$(free_port); sport=$(free_port)
  args=(-Dvendorlink.data.dir="$data" -Dcamel.management.port="$mport" -Dcamel.server.port="$sport")
  for v in sentinel secutix certna spaces centagate; do args+=(-Dvendorlink.sandbox.$v.port="$(free_port)"); done
  start=$(date +%s%N)
  # shellcheck disable=SC2086
  java $JAVA_OPTS $2 "${args[@]}" -jar target/vendorlink.jar >"$data/run.log" 2>&1 &
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
  echo "$1 run $i: ready in ${ms} ms, RSS $((kb / 1024)) MB"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
done
echo "$1: median time to ready $(median "${times[@]}") ms (target <= 3000 ms), median RSS after start $(( $(median "${rss[@]}") / 1024 )) MB (target <= 300 MB)"
results+=("$1: median time to ready $(median "${times[@]}") ms, median RSS $(( $(median "${rss[@]}") / 1024 )) MB")
}

results=()
measure "plain" ""
if [[ "${CDS:-}" == "1" ]]; then
  data=$(mktemp -d /tmp/vendorlink-bench-XXXX); mport=$(free_port)
  rm -f target/vendorlink.jsa
  java -XX:ArchiveClassesAtExit=target/vendorlink.jsa -Dvendorlink.data.dir="$data" -Dcamel.management.port="$mport" \
       -Dcamel.server.port="$(free_port)" -jar target/vendorlink.jar >"$data/train.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    curl -s -m 1 "http://127.0.0.1:$mport/observe/health" 2>/dev/null | grep -q '"status":"UP"' && break; sleep 0.1
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true; rm -rf "$data"
  measure "appcds" "-XX:SharedArchiveFile=target/vendorlink.jsa"
fi

echo
echo "method: $RUNS cold starts of 'java -jar target/vendorlink.jar' on fresh data directories, time from launch to"
echo "        /observe/health UP (polled every 100 ms), RSS from /proc/<pid>/status at that moment; $(nproc) cores, $(java -version 2>&1 | head -1)"
printf '%s\n' "${results[@]}"
