# Stage 04 and stage 05 back to back, sixteen pairs, on the last page of 100,000 todos, where a request
# costs milliseconds of CPU: each pair prints both req/s, their ratio, and how much of the machine's CPU
# was idle while stage 04 ran (a second worker can only help if a second core is free).
source "$(dirname "$0")/lib.sh"

db=$DATA/todo.db
seed 04-index "$db" 100000
start 04-index "$DATA/04.log" PORT="$PORT" DB_PATH="$db"
one=$STARTED
start 05-cluster "$DATA/05.log" WORKERS=2 PORT="$PORT_2" DB_PATH="$db"
cluster=$STARTED

page='/todo?start=99990&limit=10'
seconds=${RUN_SECONDS:-3}
echo "the last page of 100,000 todos, wrk -t 2 -c 20 -d ${seconds}s, stage 04 then stage 05 in each pair"
for pair in $(seq 1 "${ROUNDS:-16}"); do
  idle_percent "$seconds" >"$DATA/idle" &
  idler=$!
  read -r rps4 _ _ <<<"$(load "http://127.0.0.1:$PORT$page" 20 "$seconds" "$one")"
  wait "$idler"
  read -r rps5 _ _ <<<"$(load "http://127.0.0.1:$PORT_2$page" 20 "$seconds" "$cluster")"
  awk -v p="$pair" -v i="$(cat "$DATA/idle")" -v a="$rps4" -v b="$rps5" \
    'BEGIN { printf "pair %2d  idle while stage 04 ran %3d %%  stage 04 %7.1f req/s  stage 05 %7.1f req/s  ×%.2f\n", p, i, a, b, (a > 0 ? b / a : 0) }'
done
stop "$one"
stop "$cluster"
