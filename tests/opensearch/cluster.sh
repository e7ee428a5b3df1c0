#!/usr/bin/env bash
# A real OpenSearch 2.19.6 cluster for byline's cluster tests: three nodes on 127.0.0.1, one
# JVM each (HTTP 9201-9203, transport 9301-9303, loopback only), built from Maven Central
# artifacts (OpenSearch with the Netty4 transport, analysis-common and parent-join;
# cached in ~/.m2). State, logs and data under STATE (default target/opensearch).
#   cluster.sh start     fetch and build when needed, start the nodes, wait for green;
#                        prints the base URL on its last line
#   cluster.sh stop      stop every node (SIGTERM, then SIGKILL after 20 s); removes the data
#   cluster.sh status    the cluster's health, one line (exit 1 when it does not answer)
#   cluster.sh kill N    kill node N at once (SIGKILL), as a crash would
#   cluster.sh restart N start node N again and wait for green
# Callers stop the cluster in an EXIT trap, so nothing outlives a test run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
state=${STATE:-$root/target/opensearch}
nodes=3
url="http://127.0.0.1:9201/"
heap=${OPENSEARCH_HEAP:-768m}

die() { echo "cluster: $*" >&2; exit 1; }

# Whether node N's process runs (a killed one may linger as a zombie until reaped).
alive() {
  local pidfile="$state/node-$1.pid"
  [ -f "$pidfile" ] || return 1
  local stat
  stat=$(ps -o stat= -p "$(cat "$pidfile")" 2>/dev/null || true)
  [ -n "$stat" ] && [[ "$stat" != Z* ]]
}

build() {
  command -v java >/dev/null 2>&1 || die "java is not installed (Java 17 is needed)"
  command -v mvn >/dev/null 2>&1 || die "mvn is not installed (Maven is needed)"
  mkdir -p "$state"
  local stamp="$state/built-from"
  local sum
  sum=$(cat "$here/launcher/pom.xml" "$here/launcher/src/main/java/byline/opensearch/"*.java | cksum)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ] && [ -f "$state/classpath" ]; then
    return 0
  fi
  echo "cluster: fetching OpenSearch 2.19.6 with Maven and building the launcher" >&2
  mvn -q -B -f "$here/launcher/pom.xml" compile dependency:build-classpath \
    -Dmdep.outputFile="$state/classpath.deps" >"$state/build.log" 2>&1 \
    || { tail -30 "$state/build.log" >&2; die "the launcher did not build (log: $state/build.log)"; }
  echo "$here/launcher/target/classes:$(cat "$state/classpath.deps")" > "$state/classpath"
  echo "$sum" > "$stamp"
}

health() {
  curl -s --max-time 5 \
    "${url}_cluster/health?wait_for_status=${1:-green}&wait_for_nodes=${3:-1}&timeout=${2:-1s}" || true
}

start_node() {
  local n=$1
  local pidfile="$state/node-$n.pid"
  if alive "$n"; then
    return 0
  fi
  # Not in a test harness: no randomized runner, no security manager, loopback only.
  nohup java -Xms"$heap" -Xmx"$heap" -XX:+UseSerialGC -Djava.awt.headless=true \
    -Dlog4j2.disable.jmx=true -Dopensearch.set.netty.runtime.available.processors=false \
    -cp "$(cat "$state/classpath")" byline.opensearch.NodeMain "$state" "$n" "$nodes" \
    >"$state/node-$n.log" 2>&1 &
  echo $! > "$pidfile"
}

wait_green() {
  local deadline=$((SECONDS + ${1:-240}))
  while [ $SECONDS -lt $deadline ]; do
    if health green 2s "$nodes" | grep -q '"status":"green","timed_out":false'; then
      return 0
    fi
    for n in $(seq 1 $nodes); do
      if ! alive "$n" && [ ! -f "$state/node-$n.killed" ]; then
        tail -40 "$state/node-$n.log" >&2
        die "node $n exited (log: $state/node-$n.log)"
      fi
    done
    sleep 1
  done
  health yellow 1s >&2
  die "the cluster was not green within ${1:-240} s (logs: $state/node-*.log)"
}

stop_all() {
  for n in $(seq 1 $nodes); do
    local pidfile="$state/node-$n.pid"
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  for _ in $(seq 1 20); do
    local running=0
    for n in $(seq 1 $nodes); do
      alive "$n" && running=1
    done
    [ $running = 0 ] && break
    sleep 1
  done
  for n in $(seq 1 $nodes); do
    local pidfile="$state/node-$n.pid"
    [ -f "$pidfile" ] && kill -9 "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile" "$state/node-$n.killed"
    rm -rf "$state/node-$n"
  done
}

case "${1:-}" in
  start)
    build
    if health yellow 1s | grep -q '"cluster_name"' && [ ! -f "$state/node-1.pid" ]; then
      die "something else answers on ${url}: stop it first"
    fi
    for n in $(seq 1 $nodes); do start_node "$n"; done
    wait_green 240
    echo "$url"
    ;;
  stop) stop_all ;;
  status)
    h=$(health yellow 1s)
    [ -n "$h" ] || { echo "cluster: not answering on $url"; exit 1; }
    echo "$h"
    ;;
  kill)
    n=${2:?node number}
    touch "$state/node-$n.killed"
    kill -9 "$(cat "$state/node-$n.pid")"
    ;;
  restart)
    n=${2:?node number}
    rm -f "$state/node-$n.killed"
    start_node "$n"
    wait_green 240
    echo "$url"
    ;;
  *) echo "usage: cluster.sh start|stop|status|kill N|restart N" >&2; exit 2 ;;
esac
