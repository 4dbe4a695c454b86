#!/usr/bin/env bash
# Startup benchmark: builds once, then starts the runtime N times per series, each time on a fresh data directory,
# and prints the median time from process launch to /observe/health reporting UP (every health check, vendor checks
# included: each connector has made its first call to its vendor), and the resident set size (RSS) and the CPU time
# the process used up to that moment. Targets (issue 9): <= 3 s to ready and <= 300 MB RSS on a 2-core machine.
# Series:
#   defaults            'java -jar target/vendorlink.jar' with no JVM option, embedded defaults: all five connectors,
#                       their five sandboxes, embedded Artemis and H2 (+ Flyway) in one JVM;
#   shipped             the same with the JVM options the README's run line and the Jib image ship (SHIPPED_OPTS below);
#   shipped+appcds      the same plus an AppCDS archive made by one training start (-XX:ArchiveClassesAtExit, JDK 17);
#   production-like     shipped+appcds, all five connectors on, embedded Artemis and H2, but no sandbox in the measured
#                       JVM: the connectors call the five sandboxes in a separate JVM started once before this series
#                       (vendorlink.sandbox.<v>.enabled=false here, =true there with the connectors off), as they would
#                       call the real vendors; its start is not measured.
# It prints figures; it never fails a build. Usage: bench/startup.sh [runs] (default 5); SERIES="shipped ..." to
# choose series.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-5}"
SERIES="${SERIES:-defaults shipped shipped+appcds production-like}"
# Keep in step with README "Quick start" and the jvmFlags of the Jib image in pom.xml (there the heap is sized from
# the container's memory limit instead of -Xmx).
SHIPPED_OPTS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms32m -Xmx512m"
ARCHIVE=target/vendorlink.jsa
VENDORS="sentinel secutix certna spaces centagate"

if [[ "${SKIP_BUILD:-}" != "1" ]]; then
  mvn -B -q -DskipTests package >/dev/null
fi

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {if (NR==0) print 0; else if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
ticks=$(getconf CLK_TCK)

wait_up() {   # $1 = management port, $2 = pid; at most 120 s
  for _ in $(seq 1 1200); do
    if curl -s -m 1 "http://127.0.0.1:$1/observe/health" 2>/dev/null | grep -q '"status":"UP"'; then return 0; fi
    if ! kill -0 "$2" 2>/dev/null; then return 1; fi
    sleep 0.1
  done
  return 1
}

# The separate sandbox JVM of the production-like series: connectors off, the five sandboxes on fixed free ports.
sandbox_pid=""; sandbox_args=(); sandbox_data=""
start_sandboxes() {
  local data; data=$(mktemp -d /tmp/vendorlink-bench-sandbox-XXXX); sandbox_data="$data"
  local mport; mport=$(free_port)
  local args=(-Dvendorlink.data.dir="$data" -Dcamel.management.port="$mport" -Dcamel.server.port="$(free_port)")
  sandbox_args=(-Dvendorlink.sandbox.tls.dir="$data/sandbox-tls")
  for v in $VENDORS; do
    local p; p=$(free_port)
    args+=(-Dvendorlink.$v.enabled=false -Dvendorlink.sandbox.$v.enabled=true -Dvendorlink.sandbox.$v.port="$p")
    sandbox_args+=(-Dvendorlink.sandbox.$v.enabled=false -Dvendorlink.sandbox.$v.port="$p")
  done
  # shellcheck disable=SC2086
  java $SHIPPED_OPTS "${args[@]}" -jar target/vendorlink.jar >"$data/run.log" 2>&1 &
  sandbox_pid=$!
  wait_up "$mport" "$sandbox_pid" || { echo "the sandbox JVM did not report UP (see $data/run.log)"; exit 1; }
}
stop_sandboxes() {
  if [[ -n "$sandbox_pid" ]]; then kill "$sandbox_pid" 2>/dev/null || true; wait "$sandbox_pid" 2>/dev/null || true; sandbox_pid=""; fi
  if [[ -n "$sandbox_data" ]]; then rm -rf "$sandbox_data"; sandbox_data=""; fi
}
trap stop_sandboxes EXIT

measure() {   # $1 = label, $2 = JVM options, rest = extra system properties
  local label="$1" opts="$2"; shift 2
  local times=() rss=() cpu=() loads=()
  for i in $(seq 1 "$RUNS"); do
    local data; data=$(mktemp -d /tmp/vendorlink-bench-XXXX)
    local mport; mport=$(free_port)
    local args=(-Dvendorlink.data.dir="$data" -Dcamel.management.port="$mport" -Dcamel.server.port="$(free_port)")
    if [[ "$label" != production-like ]]; then
      for v in $VENDORS; do args+=(-Dvendorlink.sandbox.$v.port="$(free_port)"); done
    fi
    local start; start=$(date +%s%N)
    # shellcheck disable=SC2086
    java $opts "${args[@]}" "$@" -jar target/vendorlink.jar >"$data/run.log" 2>&1 &
    local pid=$!
    if ! wait_up "$mport" "$pid"; then
      echo "$label run $i: did not report UP within 120 s (see $data/run.log)"; kill -9 "$pid" 2>/dev/null || true; continue
    fi
    local end; end=$(date +%s%N)
    local ms=$(( (end - start) / 1000000 ))
    local kb; kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    local cms; cms=$(awk -v t="$ticks" '{print int(($14 + $15) * 1000 / t)}' "/proc/$pid/stat")
    local load; load=$(cut -d' ' -f1 /proc/loadavg)
    times+=("$ms"); rss+=("$kb"); cpu+=("$cms"); loads+=("$load")
    echo "$label run $i: ready in ${ms} ms, RSS $((kb / 1024)) MB, CPU ${cms} ms, load $load"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    rm -rf "$data"
  done
  local line
  line="$label: median time to ready $(median "${times[@]}") ms, median RSS $(( $(median "${rss[@]}") / 1024 )) MB, median CPU $(median "${cpu[@]}") ms (load ${loads[*]})"
  echo "$line"
  results+=("$line")
}

train() {   # one start with -XX:ArchiveClassesAtExit, stopped with SIGTERM once UP: the archive is written at exit
  local data; data=$(mktemp -d /tmp/vendorlink-bench-XXXX)
  local mport; mport=$(free_port)
  local args=(-Dvendorlink.data.dir="$data" -Dcamel.management.port="$mport" -Dcamel.server.port="$(free_port)")
  for v in $VENDORS; do args+=(-Dvendorlink.sandbox.$v.port="$(free_port)"); done
  rm -f "$ARCHIVE"
  # shellcheck disable=SC2086
  java $SHIPPED_OPTS -XX:ArchiveClassesAtExit="$ARCHIVE" "${args[@]}" -jar target/vendorlink.jar >"$data/train.log" 2>&1 &
  local pid=$!
  wait_up "$mport" "$pid" || echo "training start did not report UP (see $data/train.log)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
}

results=()
for s in $SERIES; do
  case "$s" in
    defaults) measure defaults "" ;;
    shipped) measure shipped "$SHIPPED_OPTS" ;;
    shipped+appcds|production-like)
      [[ -f "$ARCHIVE" && "$ARCHIVE" -nt target/vendorlink.jar ]] || train
      if [[ "$s" == production-like ]]; then
        start_sandboxes
        measure production-like "$SHIPPED_OPTS -XX:SharedArchiveFile=$ARCHIVE" "${sandbox_args[@]}"
        stop_sandboxes
      else
        measure shipped+appcds "$SHIPPED_OPTS -XX:SharedArchiveFile=$ARCHIVE"
      fi ;;
    *) echo "unknown series $s" ;;
  esac
done

echo
echo "method: $RUNS cold starts per series on fresh data directories, time from launch to /observe/health UP (all"
echo "        checks, vendor checks included; polled every 100 ms), RSS and user+system CPU of the process at that moment;"
echo "        shipped JVM options: $SHIPPED_OPTS; appcds: -XX:SharedArchiveFile from one training start;"
echo "        production-like: no sandbox in the measured JVM, the five sandboxes in a separate JVM; embedded Artemis and H2"
echo "        in both; 1-min load average of this shared machine after each start in brackets;"
echo "        $(nproc) cores, $(java -version 2>&1 | head -1)"
printf '%s\n' "${results[@]}"
