# What consistency costs a write: a mixed load (8 reads of the first page, 2 creates in every ten
# requests) and writes only (creates), on stage 05, and on stage 06 with CACHE_ON_WRITE=refresh (the
# default) and =invalidate (cache-aside), two workers each, three alternating rounds of wrk -t 2 -c 100
# -d 3s per load; req/s, p99 and the server's CPU time per request (from /proc).
source "$(dirname "$0")/lib.sh"

# one Redis for each cache: the invalidation channel is shared by every database of a Redis
redis_a=$PORT_3
redis_b=$(free_port)
redis-server --port "$redis_a" --save '' --appendonly no >"$DATA/redis-a.log" 2>&1 &
ra=$!
redis-server --port "$redis_b" --save '' --appendonly no >"$DATA/redis-b.log" 2>&1 &
rb=$!
for port in "$redis_a" "$redis_b"; do
  for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break || sleep 0.1; done
done

seed 05-cluster "$DATA/05.db" 10000
seed 06-cache "$DATA/06r.db" 10000 REDIS_URL="redis://127.0.0.1:$redis_a"
seed 06-cache "$DATA/06i.db" 10000 REDIS_URL="redis://127.0.0.1:$redis_b"
invalidate_port=$(free_port)
start 05-cluster "$DATA/05.log" WORKERS=2 PORT="$PORT" DB_PATH="$DATA/05.db"
five=$STARTED
start 06-cache "$DATA/06r.log" WORKERS=2 PORT="$PORT_2" DB_PATH="$DATA/06r.db" \
  REDIS_URL="redis://127.0.0.1:$redis_a" CACHE_ON_WRITE=refresh
refresh=$STARTED
start 06-cache "$DATA/06i.log" WORKERS=2 PORT="$invalidate_port" DB_PATH="$DATA/06i.db" \
  REDIS_URL="redis://127.0.0.1:$redis_b" CACHE_ON_WRITE=invalidate
invalidate=$STARTED

mixed=$DATA/mixed.plan
for i in 1 2 3 4 5 6 7 8; do printf 'GET\t/todo\t\t\n'; done >"$mixed"
for i in 1 2; do printf 'POST\t/todo\tapplication/x-www-form-urlencoded\tcontent=mixed\n'; done >>"$mixed"
create=$DATA/create.plan
printf 'POST\t/todo\tapplication/x-www-form-urlencoded\tcontent=create\n' >"$create"
load() {
  local plan=$1 port=$2 pid=$3 before after out
  before=$(cpu_ticks "$pid")
  out=$(wrk -t 2 -c 100 -d "${RUN_SECONDS:-3}s" -s packages/bench/lua/plan.lua "http://127.0.0.1:$port" -- "$plan")
  after=$(cpu_ticks "$pid")
  node -e '
    const r = JSON.parse(process.argv[1].split("\n").find((line) => line.startsWith("{\"requests\"")));
    const ticks = Number(process.argv[2]), hz = Number(process.argv[3]);
    const rps = r.requests / (r.durationUs / 1e6);
    console.log(`${rps.toFixed(0)} ${(r.p99Us / 1000).toFixed(1)} ${((ticks / hz / r.requests) * 1e6).toFixed(0)}`);
  ' "$out" "$((after - before))" "$(getconf CLK_TCK)"
}

for plan in mixed create; do
  [ "$plan" = mixed ] && echo "mixed (8 reads, 2 writes), wrk -t 2 -c 100 -d ${RUN_SECONDS:-3}s, ${ROUNDS:-3} rounds alternating: req/s, p99, CPU µs per request"
  [ "$plan" = create ] && echo "create (writes only), the same way"
  for round in $(seq 1 "${ROUNDS:-3}"); do
    read -r a ap ac <<<"$(load "${!plan}" "$PORT" "$five")"
    read -r b bp bc <<<"$(load "${!plan}" "$PORT_2" "$refresh")"
    read -r c cp cc <<<"$(load "${!plan}" "$invalidate_port" "$invalidate")"
    printf 'round %s  05-cluster %6s req/s p99 %6s ms %4s µs | 06 refresh %6s req/s p99 %6s ms %4s µs | 06 invalidate %6s req/s p99 %6s ms %4s µs\n' \
      "$round" "$a" "$ap" "$ac" "$b" "$bp" "$bc" "$c" "$cp" "$cc"
  done
done
stop "$five"
stop "$refresh"
stop "$invalidate"
kill "$ra" "$rb" 2>/dev/null || true
wait "$ra" "$rb" 2>/dev/null || true
