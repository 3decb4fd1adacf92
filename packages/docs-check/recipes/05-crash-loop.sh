# The primary of stage 05 in a crash loop: the SQLite file is replaced by a folder of the same name and a
# worker is killed, so each replacement dies at start-up and the primary waits longer between forks;
# after 5 s the folder goes, the file comes back, and the next replacement stays up. Prints the log.
source "$(dirname "$0")/lib.sh"

log=$DATA/cluster.log
db=$DATA/todo.db
start 05-cluster "$log" WORKERS=2 PORT="$PORT" DB_PATH="$db"
primary=$STARTED
first=$(grep -o 'pids [0-9]*' "$log" | grep -o '[0-9]*$')

mv "$db" "$db.aside"
mkdir "$db"
kill -9 "$first"
sleep 5
rmdir "$db"
mv "$db.aside" "$db"
wait_for "$log" "is listening, replacing" 60
stop "$primary"
cat "$log"
