#!/usr/bin/env bash
# Cisco Spaces Firehose throughput: parse -> de-duplicate -> publish, in-memory and persistent queue (loopback only).
# Usage: bench/spaces.sh [inMemoryEvents=50000] [persistentEvents=10000] [modes=route,jms-batch] [publishBatch]. Prints figures; never fails a build.
# Targets (issue 6): >= 50,000 events/s in-memory, >= 5,000 events/s persistent.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${SKIP_BUILD:-}" ] || mvn -B -q -o test-compile >/dev/null
mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
timeout 600 java -Xmx512m ${BENCH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  io.vendorlink.bench.SpacesFirehoseBench "${1:-50000}" "${2:-10000}" "${3:-route,jms-batch}" ${4:-} 2>&1 | grep -v -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}T'
