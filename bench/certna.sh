#!/usr/bin/env bash
# CeRTNA token sharing under load (loopback sandbox): throughput, latency, and logins per forced token expiry.
# Usage: bench/certna.sh [threads=20] [callsPerThread=100] [expiries=5]. Prints figures; never fails a build.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o test-compile >/dev/null
mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
java -Xmx512m -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  io.vendorlink.bench.CertnaTokenBench "${1:-20}" "${2:-100}" "${3:-5}" 2>&1 | grep -v -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}T'
