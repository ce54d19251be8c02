#!/usr/bin/env bash
# Throughput of the embedded server next to Redis on the same machine, in the same session.
#
#   bash cassmodel-embedded/examples/vs_redis.sh     # ROUNDS=5 SECS=6 CLIENT=frames by default
#
# Each round runs `redis-benchmark -t set,get -c 50` against a private redis-server and then
# `examples/throughput.rs` (prepared single-row INSERT, then SELECT by key, 50 connections
# with one request in flight each, against a durable embedded server on a throw-away
# directory: every INSERT is fsynced before it is acknowledged). Like redis-benchmark,
# which sends pre-encoded commands, the load comes from throughput.rs's minimal client of
# pre-encoded EXECUTE frames (CLIENT=frames); CLIENT=driver uses the scylla driver instead,
# whose own CPU time then counts against the server on the same cores. Alternating the
# two in every round lets both see the same machine load; the summary is the median over
# rounds of each round's ratio (embedded ops/s / Redis ops/s). Needs redis-server and
# redis-tools (`apt-get install redis-server redis-tools`).
#
# The Redis of the goal keeps nothing on disk per write, while every INSERT here is fsynced
# before it is acknowledged; for a like-for-like view each round also measures SET on a
# second Redis that fsyncs every write (`appendonly yes`, `appendfsync always`), reported
# as "SET(fsync)" next to the main figures.
set -euo pipefail
ROUNDS=${ROUNDS:-5}
SECS=${SECS:-6}
CLIENT=${CLIENT:-frames}
cd "$(dirname "$0")/../.."

for tool in redis-server redis-benchmark redis-cli; do
    command -v "$tool" >/dev/null || { echo "needs $tool: apt-get install redis-server redis-tools" >&2; exit 2; }
done
cargo build --quiet --release -p cassmodel-embedded --example throughput
bin="${CARGO_TARGET_DIR:-target}/release/examples/throughput"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >/dev/null &
redis_pid=$!
aof_dir=$(mktemp -d)
aof_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$aof_port" --bind 127.0.0.1 --save '' --appendonly yes --appendfsync always \
    --dir "$aof_dir" --daemonize no >/dev/null &
aof_pid=$!
trap 'kill $redis_pid $aof_pid 2>/dev/null || true; rm -rf "$aof_dir"' EXIT
for p in "$port" "$aof_port"; do
    for _ in $(seq 50); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.1; done
done

results=$(mktemp)
for round in $(seq "$ROUNDS"); do
    redis=$(redis-benchmark -p "$port" -t set,get -c 50 -n $((SECS * 25000)) --csv 2>/dev/null)
    set_rps=$(echo "$redis" | awk -F'"' '$2=="SET"{print $4}')
    get_rps=$(echo "$redis" | awk -F'"' '$2=="GET"{print $4}')
    ours=$("$bin" --secs "$SECS" --conns 50 --client "$CLIENT")
    durable_set=$(redis-benchmark -p "$aof_port" -t set -c 50 -n $((SECS * 10000)) --csv 2>/dev/null |
        awk -F'"' '$2=="SET"{print $4}')
    insert_rps=$(echo "$ours" | awk '$1=="INSERT:"{print $2}')
    select_rps=$(echo "$ours" | awk '$1=="SELECT:"{print $2}')
    load=$(cut -d' ' -f1 /proc/loadavg)
    echo "$round $set_rps $insert_rps $get_rps $select_rps $load $durable_set" | tee -a "$results" |
        awk '{printf "round %d (load %s): SET %.0f INSERT %.0f (%.2fx)  GET %.0f SELECT %.0f (%.2fx)  SET(fsync) %.0f (INSERT %.2fx)\n", $1, $6, $2, $3, $3/$2, $4, $5, $5/$4, $7, $3/$7}'
done

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
insert_ratio=$(awk '{print $3/$2}' "$results" | median)
select_ratio=$(awk '{print $5/$4}' "$results" | median)
durable_ratio=$(awk '{print $3/$7}' "$results" | median)
echo "median over $ROUNDS rounds: INSERT/SET ${insert_ratio}x, SELECT/GET ${select_ratio}x (goal >= 0.5x); INSERT/SET(fsync) ${durable_ratio}x"
rm -f "$results"
