# Stage 05 with two workers, straight and through its own nginx.conf (only its two ports moved): /index
# and the first page of 10,000 todos, three alternating rounds of wrk -t 2 -c 100 -d 5s.
source "$(dirname "$0")/lib.sh"

db=$DATA/todo.db
seed 05-cluster "$db" 10000
start 05-cluster "$DATA/05.log" WORKERS=2 PORT="$PORT" DB_PATH="$db"
cluster=$STARTED

mkdir -p "$DATA/nginx"
sed -e "s/127\.0\.0\.1:8000/127.0.0.1:$PORT/" -e "s/127\.0\.0\.1:8888/127.0.0.1:$PORT_2/" \
  stages/05-cluster/nginx.conf >"$DATA/nginx/nginx.conf"
nginx -p "$DATA/nginx/" -c "$DATA/nginx/nginx.conf" >"$DATA/nginx.log" 2>&1 &
proxy=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT_2/healthz" >/dev/null && break || sleep 0.1; done

echo "req/s (p99), wrk -t 2 -c 100 -d ${RUN_SECONDS:-5}s, straight to the cluster and through nginx, ${ROUNDS:-3} rounds alternating"
for round in $(seq 1 "${ROUNDS:-3}"); do
  for path in /index /todo; do
    read -r direct p99d _ <<<"$(load "http://127.0.0.1:$PORT$path" 100 "${RUN_SECONDS:-5}" "$cluster")"
    read -r proxied p99p _ <<<"$(load "http://127.0.0.1:$PORT_2$path" 100 "${RUN_SECONDS:-5}" "$cluster")"
    printf 'round %s  %-7s straight %9.1f req/s (p99 %s)  through nginx %9.1f req/s (p99 %s)\n' \
      "$round" "$path" "$direct" "$p99d" "$proxied" "$p99p"
  done
done
kill -QUIT "$proxy" 2>/dev/null || true
wait "$proxy" 2>/dev/null || true
stop "$cluster"
