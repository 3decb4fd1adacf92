# The primary of stage 05 as a supervisor: a worker killed with kill -9 and replaced at once, a rolling
# restart on SIGHUP, and a drain on SIGTERM. Prints the cluster's own log.
source "$(dirname "$0")/lib.sh"

log=$DATA/cluster.log
start 05-cluster "$log" WORKERS=2 PORT="$PORT" DB_PATH="$DATA/todo.db"
primary=$STARTED
first=$(grep -o 'pids [0-9]*' "$log" | grep -o '[0-9]*$')

sleep 2
kill -9 "$first"
wait_for "$log" "is listening, replacing" 30
kill -HUP "$primary"
wait_for "$log" "rolling restart done" 60
kill -TERM "$primary"
wait "$primary"
cat "$log"
