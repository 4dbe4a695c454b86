#!/usr/bin/env bash
# CentaGate benchmark: signing cost, registration latency/throughput against the loopback HTTPS sandbox (sequential
# and 4 callers sharing one session) and the token-registration workflow's drain rate. Prints figures and the method;
# never fails a build. Usage: bench/centagate.sh [registrations per series] (default 300)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-300}"
if [[ "${SKIP_BUILD:-}" != "1" ]]; then
  mvn -B -q -o test-compile >/dev/null
fi
mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null
data=$(mktemp -d /tmp/vendorlink-bench-centagate-XXXX)
cd "$data"   # the runtime loads routes/ relative to the working directory
cp -r "$OLDPWD/routes" routes   # a copy: Camel does not follow a symlinked routes/ folder
java -cp "$OLDPWD/target/classes:$OLDPWD/target/test-classes:$(cat "$OLDPWD/target/bench-classpath.txt")" \
  io.vendorlink.bench.CentagateBench "$N" 2>/dev/null | grep -v -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' || true
rm -rf "$data"
