import cluster, { type Worker } from "node:cluster";

export interface PrimaryOptions {
  /** How many workers to keep running. */
  workers: number;
  /** Called once, when the first `workers` workers all listen on `port`. */
  onReady?: (started: { pids: number[]; port: number }) => void;
  /** A worker that dies sooner than this after its fork counts as a crash at start-up. */
  minUptimeMs?: number;
  /** The longest wait between forks in a crash loop. */
  maxBackoffMs?: number;
  /** How long workers may take to drain on SIGTERM before they are killed. */
  drainTimeoutMs?: number;
  log?: (line: string) => void;
}

/**
 * The cluster's primary process: it serves nothing itself. It forks the workers (which all accept
 * on the same port), replaces any worker that dies, and owns the life-cycle of the whole group:
 * SIGTERM or SIGINT drains every worker and exits; SIGHUP swaps the workers for fresh ones (new
 * code after a build) one at a time, without refusing a single request.
 */
export function runPrimary({
  workers: size,
  onReady,
  minUptimeMs = 5_000,
  maxBackoffMs = 30_000,
  drainTimeoutMs = 15_000,
  log = (line) => console.log(`[primary ${process.pid}] ${line}`),
}: PrimaryOptions): void {
  const forkedAt = new Map<Worker, number>();
  /** forked by a rolling restart and not yet listening: if it dies, the restart stops, nothing is replaced */
  const spares = new Set<Worker>();
  /** asked to leave (rolling restart): its exit is expected */
  const retiring = new Set<Worker>();
  const pendingForks = new Set<NodeJS.Timeout>();
  let crashesInARow = 0;
  let ready = false;
  let restarting = false;
  let stopping = false;
  let stoppedCleanly = true;

  const name = (worker: Worker) => `worker ${worker.id} (pid ${worker.process.pid})`;
  // cluster.workers keeps a worker that has exited until its IPC channel closes too, which on a busy
  // machine can come after its "exit" event: the last one to exit would never let the primary finish
  const alive = () =>
    Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());

  // a worker stopped before it listened had no requests to drain: its SIGTERM death is no error
  const listened = new WeakSet<Worker>();
  cluster.on("listening", (worker) => listened.add(worker));

  const fork = (): Worker => {
    const worker = cluster.fork();
    forkedAt.set(worker, Date.now());
    return worker;
  };

  const listening = (worker: Worker) =>
    new Promise<number>((resolve, reject) => {
      const onExit = (code: number | null, signal: string | null) =>
        reject(new Error(`${name(worker)} ${how(code, signal)} before it listened`));
      worker.once("exit", onExit);
      worker.once("listening", (address: { port: number }) => {
        worker.off("exit", onExit);
        resolve(address.port);
      });
    });

  const exited = (worker: Worker) =>
    worker.isDead()
      ? Promise.resolve()
      : new Promise<void>((resolve) => worker.once("exit", () => resolve()));

  // supervision: whoever dies unasked is replaced at once, but a crash loop backs off
  const replace = (dead: Worker, uptimeMs: number) => {
    crashesInARow = uptimeMs < minUptimeMs ? crashesInARow + 1 : 0;
    const delay = crashesInARow <= 1 ? 0 : Math.min(maxBackoffMs, 1000 * 2 ** (crashesInARow - 2));
    if (delay > 0) {
      log(
        `crash loop: ${crashesInARow} workers in a row died within ${minUptimeMs / 1000} s of starting; ` +
          `next fork in ${delay / 1000} s`,
      );
    }
    const deadName = name(dead);
    const timer = setTimeout(() => {
      pendingForks.delete(timer);
      const next = fork();
      listening(next).then(
        () => log(`${name(next)} is listening, replacing ${deadName}`),
        () => {}, // its own exit is logged and handled like any other death
      );
    }, delay);
    pendingForks.add(timer);
  };

  cluster.on("exit", (worker, code, signal) => {
    const uptimeMs = Date.now() - (forkedAt.get(worker) ?? Date.now());
    forkedAt.delete(worker);
    if (stopping) {
      const unstarted = signal === "SIGTERM" && !listened.has(worker);
      if (code !== 0 && !unstarted) stoppedCleanly = false;
      log(`${name(worker)} ${how(code, signal)}${unstarted ? " before it listened: nothing to drain" : ""}`);
      if (alive().length === 0) finishStop();
      return;
    }
    if (retiring.delete(worker)) {
      log(`${name(worker)} retired: ${how(code, signal)}`);
      return;
    }
    log(`${name(worker)} died after ${(uptimeMs / 1000).toFixed(1)} s: ${how(code, signal)}`);
    if (spares.delete(worker)) return; // the rolling restart sees it and stops
    if (!ready) {
      // like any server that cannot start: say so and stop, rather than retry forever
      log("a worker failed to start (its error is above): stopping");
      stoppedCleanly = false;
      stop("start-up failure");
      return;
    }
    replace(worker, uptimeMs);
  });

  const rollingRestart = async () => {
    if (stopping) return;
    if (restarting) {
      log("SIGHUP: a rolling restart is already running");
      return;
    }
    restarting = true;
    const old = alive().filter((worker) => !retiring.has(worker));
    log(`SIGHUP: rolling restart of ${old.length} workers, one at a time`);
    try {
      for (const worker of old) {
        if (stopping) return;
        if (worker.isDead()) continue; // it died meanwhile and was replaced with new code already
        const next = fork();
        spares.add(next);
        await listening(next); // the new one accepts connections before the old one stops
        spares.delete(next);
        retiring.add(worker);
        worker.process.kill("SIGTERM"); // the old one finishes its in-flight requests, then exits
        await exited(worker);
        log(`${name(next)} replaced ${name(worker)}`);
      }
      log(`rolling restart done: ${alive().length} workers`);
    } catch (error) {
      log(`rolling restart stopped, the remaining old workers keep serving: ${(error as Error).message}`);
    } finally {
      restarting = false;
    }
  };

  let killTimer: NodeJS.Timeout | undefined;
  const stop = (reason: string) => {
    if (stopping) {
      log(`${reason} again: killing the workers now`);
      for (const worker of alive()) worker.process.kill("SIGKILL");
      process.exit(1);
    }
    stopping = true;
    for (const timer of pendingForks) clearTimeout(timer);
    const workers = alive();
    log(`${reason}: draining ${workers.length} workers, then exiting`);
    if (workers.length === 0) return finishStop();
    for (const worker of workers) worker.process.kill("SIGTERM");
    killTimer = setTimeout(() => {
      log(`workers still running after ${drainTimeoutMs / 1000} s: killing them`);
      stoppedCleanly = false;
      for (const worker of alive()) worker.process.kill("SIGKILL");
    }, drainTimeoutMs);
  };
  const finishStop = () => {
    clearTimeout(killTimer);
    log(stoppedCleanly ? "all workers stopped; exiting" : "exiting with errors");
    process.exit(stoppedCleanly ? 0 : 1);
  };

  // a worker that has closed its server asks before it exits (see exitWhenReleased)
  cluster.on("message", (worker, message) => {
    // the callback swallows the error of a worker that is already gone
    if (message === RELEASE && worker.isConnected()) worker.send(RELEASED, () => {});
  });

  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGHUP", () => void rollingRestart());

  const first = Array.from({ length: size }, fork);
  Promise.all(first.map(listening)).then(
    (ports) => {
      ready = true;
      onReady?.({ pids: first.map((worker) => worker.process.pid ?? 0), port: ports[0] ?? 0 });
    },
    () => {}, // the exit handler has already reported it and is stopping
  );
}

const how = (code: number | null, signal: string | null) =>
  signal ? `was killed by ${signal}` : `exited with code ${code}`;

const RELEASE = "release me";
const RELEASED = "released";

/**
 * The worker's way out, once its server is closed and its requests are answered. The primary may
 * have handed this worker a new connection just before it learned that the server closed; such a
 * connection is bounced back to another worker, but only if this process is still alive to do it.
 * Messages travel in order, so once the primary answers this one, nothing else is on its way.
 */
export function exitWhenReleased(code: number): void {
  if (!process.send) process.exit(code);
  setTimeout(() => process.exit(code), 2_000).unref(); // no answer: the primary is gone or stuck
  process.on("message", (message) => {
    if (message === RELEASED) process.exit(code);
  });
  process.send(RELEASE);
}
