import cluster from "node:cluster";

/**
 * The smallest node:cluster primary that serves a reference server on several processes: it forks
 * `count` workers, which share the port as stage 05's do, calls `onReady` once all of them listen,
 * and stops them all on SIGTERM or SIGINT, exiting 0. It replaces no one: a worker that dies
 * unasked ends the server with exit code 1.
 */
export function runWorkers(count: number, onReady: (pids: number[], port: number) => void) {
  const workers = Array.from({ length: count }, () => cluster.fork());
  let listening = 0;
  let stopping = false;
  for (const worker of workers) {
    worker.once("listening", (address: { port: number }) => {
      if (++listening === count)
        onReady(
          workers.map((w) => w.process.pid!),
          address.port,
        );
    });
    worker.once("exit", (code, signal) => {
      if (stopping) return;
      console.error(`worker ${worker.process.pid} exited (${signal ?? code}): stopping`);
      process.exit(1);
    });
  }
  const stop = () => {
    if (stopping) return;
    stopping = true;
    let left = workers.filter((w) => !w.isDead()).length;
    if (left === 0) process.exit(0);
    for (const worker of workers.filter((w) => !w.isDead())) {
      worker.once("exit", () => --left === 0 && process.exit(0));
      worker.process.kill("SIGTERM");
    }
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
