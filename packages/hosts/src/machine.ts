import { availableParallelism, cpus } from "node:os";

/** What a measurement ran on, as its results keep it: the numbers mean little without it. */
export const machine = () => ({
  cores: availableParallelism(),
  cpuModel: cpus()[0]?.model.trim() ?? "unknown CPU",
  node: process.version,
});

export type Machine = ReturnType<typeof machine>;
