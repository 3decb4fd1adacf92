/**
 * A one-line progress bar for long jobs (seeding, benchmarks). On a terminal it redraws in place;
 * in a log (CI, a pipe) it prints a line every 10% so the log shows progress without flooding.
 */
export interface Progress {
  /** Moves the bar to `done` (of `total`), optionally with a note such as the current step. */
  update: (done: number, note?: string) => void;
  /** Prints the final line with the elapsed time. */
  finish: (note?: string) => void;
}

export function createProgress(
  label: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
  clock: () => number = Date.now,
): Progress {
  const started = clock();
  const width = 24;
  let lastTenth = -1;
  let lastDraw = 0;

  const line = (done: number, note = "") => {
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(ratio * width);
    const elapsed = (clock() - started) / 1000;
    const eta = ratio > 0 && ratio < 1 ? ` ~${formatSeconds((elapsed / ratio) * (1 - ratio))} left` : "";
    const bar = "█".repeat(filled) + "░".repeat(width - filled);
    return `${label} ${bar} ${(ratio * 100).toFixed(0).padStart(3)}% ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")}${eta}${note ? ` ${note}` : ""}`;
  };

  return {
    update(done, note) {
      if (stream.isTTY) {
        const now = clock();
        if (now - lastDraw < 80 && done < total) return;
        lastDraw = now;
        stream.write(`\r\x1b[2K${line(done, note)}`);
        return;
      }
      const tenth = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (tenth > lastTenth) {
        lastTenth = tenth;
        stream.write(`${line(done, note)}\n`);
      }
    },
    finish(note) {
      const elapsed = formatSeconds((clock() - started) / 1000);
      const text = `${line(total)} done in ${elapsed}${note ? ` ${note}` : ""}`;
      stream.write(stream.isTTY ? `\r\x1b[2K${text}\n` : `${text}\n`);
    },
  };
}

export function formatSeconds(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 90) return `${Math.round(seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}
