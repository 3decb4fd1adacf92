# Shared by the recipes of npm run docs:record (packages/docs-check/src/recipes.ts). They run from the
# repository root with DATA (a temporary folder) and PORT, PORT_2, PORT_3 (free ports) set.
set -euo pipefail
# RUN_SECONDS and ROUNDS shorten a recipe's loads for a quick check of the script; a recording uses the defaults.

# start NAME LOG [VAR=value…]: starts stages/NAME/dist/server.js in the background, its output in LOG,
# and waits for its start-up line; STARTED is its pid.
start() {
  local stage=$1 log=$2
  shift 2
  env "$@" node "stages/$stage/dist/server.js" >"$log" 2>&1 &
  STARTED=$!
  wait_for "$log" "listening on" 60
}

# seed STAGE DB COUNT [VAR=value…]: COUNT todos into the SQLite file DB, by stages/STAGE's seed script.
seed() {
  local stage=$1 db=$2 count=$3
  shift 3
  (cd "stages/$stage" && env DB_PATH="$db" "$@" node dist/seed.js --count "$count" >/dev/null 2>&1)
}

# wait_for FILE TEXT SECONDS: until FILE holds TEXT; fails, showing FILE, after SECONDS.
wait_for() {
  local file=$1 text=$2 deadline=$((SECONDS + $3))
  until grep -q -- "$text" "$file" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      echo "gave up waiting for \"$text\" in $file:" >&2
      cat "$file" >&2
      return 1
    fi
    sleep 0.1
  done
}

# stop PID: SIGTERM, and wait for it to exit.
stop() {
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# cpu_ticks PID: the CPU time (user + system, in clock ticks) of PID and its children, from /proc.
cpu_ticks() {
  local total=0 pid
  for pid in "$1" $(pgrep -P "$1" || true); do
    # fields 14 and 15 of /proc/PID/stat, counted after the command name in brackets
    total=$((total + $(sed 's/^.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')))
  done
  echo "$total"
}

# load URL CONNECTIONS SECONDS PID: runs wrk against URL and prints "req/s p99 CPU-µs-per-request" for PID.
load() {
  local url=$1 connections=$2 seconds=$3 pid=$4 before after out requests rps p99
  before=$(cpu_ticks "$pid")
  out=$(wrk -t 2 -c "$connections" -d "${seconds}s" --latency "$url")
  after=$(cpu_ticks "$pid")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  awk -v r="$rps" -v p="$p99" -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" \
    'BEGIN { printf "%s %s %.1f\n", r, p, (n > 0 ? t / hz / n * 1e6 : 0) }'
}

# free_port: a TCP port nothing listens on.
free_port() {
  node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# idle_percent SECONDS: the share of the machine's CPU time that was idle over the next SECONDS.
idle_percent() {
  local a b
  a=($(head -1 /proc/stat))
  sleep "$1"
  b=($(head -1 /proc/stat))
  local total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
  echo $((100 * (b[4] - a[4]) / (total > 0 ? total : 1)))
}
