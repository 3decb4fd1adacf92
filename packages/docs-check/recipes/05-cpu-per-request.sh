# What one request costs the server in CPU time, read from /proc before and after each load: stage 04
# (one process) against stage 05 (a primary and two workers), three wrk -c 20 runs of 5 s each for the
# hello, the first page and the page 99,990 rows deep, on 100,000 todos.
source "$(dirname "$0")/lib.sh"

db=$DATA/todo.db
seed 04-index "$db" 100000
start 04-index "$DATA/04.log" PORT="$PORT" DB_PATH="$db"
one=$STARTED
start 05-cluster "$DATA/05.log" WORKERS=2 PORT="$PORT_2" DB_PATH="$db"
cluster=$STARTED

echo "CPU µs per request (and req/s), wrk -t 2 -c 20 -d ${RUN_SECONDS:-5}s, ${ROUNDS:-3} runs each, stages alternating"
for path in /index /todo '/todo?start=99990'; do
  for run in $(seq 1 "${ROUNDS:-3}"); do
    read -r rps4 _ cpu4 <<<"$(load "http://127.0.0.1:$PORT$path" 20 "${RUN_SECONDS:-5}" "$one")"
    read -r rps5 _ cpu5 <<<"$(load "http://127.0.0.1:$PORT_2$path" 20 "${RUN_SECONDS:-5}" "$cluster")"
    printf '%-20s run %s  stage 04: %8.1f µs (%s req/s)  stage 05: %8.1f µs (%s req/s)\n' \
      "$path" "$run" "$cpu4" "$rps4" "$cpu5" "$rps5"
  done
done
stop "$one"
stop "$cluster"
