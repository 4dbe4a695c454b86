#!/usr/bin/env bash
# SecuTix quota utilisation under a backlog: completed per minute / configured limit, with zero rejections.
# Time-compressed (default 1200/min instead of 60/min); loopback only; prints figures, never fails the build.
#   bench/secutix.sh [-Dlimit=1200] [-Dwindow=PT30S] [-Dwarmup=PT5S] [-Dconsumers=4]
set -uo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null || exit 0
exec java -Xmx512m "$@" -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" io.vendorlink.bench.SecutixBench 2>/dev/null \
  | grep -v -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' || true
