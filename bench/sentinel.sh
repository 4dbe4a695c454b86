#!/usr/bin/env bash
# Sentinel: signed GET licenses through the connector route vs a plain JDK HttpClient (same run, alternated): median
# latency ratio and throughput ratio; heartbeat scale (heap per open session, one PATCH round).
# Usage: bench/sentinel.sh [calls=2000] [sessions=10000]. Loopback only; prints figures, never fails a build.
set -uo pipefail
cd "$(dirname "$0")/.."
if [[ "${SKIP_BUILD:-}" != "1" ]]; then mvn -B -q -o test-compile >/dev/null || exit 0; fi
mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >/dev/null || exit 0
# BENCH_JAVA_OPTS: extra JVM options, e.g. -Dcamel.metrics.enableRoutePolicy=false to see what a setting costs.
java -Xmx1g -XX:+UseSerialGC ${BENCH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  io.vendorlink.bench.SentinelBench "${1:-2000}" "${2:-10000}" 2>&1 | grep -v -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' || true
