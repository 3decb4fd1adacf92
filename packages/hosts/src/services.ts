import { apiDaemon, apiHealthy, planEnvironment, workerDaemon, workerReady } from "./apps.js";
import { cgroupOf } from "./cgroup.js";
import { ferretAnswers, ferretDaemon } from "./ferretdb.js";
import { ask } from "./http.js";
import { nginxDaemon } from "./lb.js";
import { postgresAnswers, postgresDaemon } from "./postgres.js";
import type { Daemon } from "./processes.js";
import { redisCommand, redisDaemon, sentinelDaemon } from "./redis.js";
import { stageDir } from "./stage.js";
import { paths, type Plan, type Secrets } from "./state.js";
import { hostNamed, PORTS, PUBLIC_URL, SENTINEL_NAME, type Service } from "./topology.js";

/** One program of a host: how to start it, and how to tell it is ready (throws while it is not). */
export interface ServiceRun {
  host: string;
  service: Service;
  daemon: () => Promise<Daemon>;
  ready: (logOffset: number) => Promise<void>;
  /** How long it may take to become ready. */
  timeoutMs: number;
}

/** The programs of host `name`, in start order, as `plan` and `secrets` configure them. */
export function serviceRuns(name: string, plan: Plan, secrets: Secrets): ServiceRun[] {
  const host = hostNamed(name);
  const settings = { redisPassword: secrets.redisPassword, exportDir: paths.exports, workers: plan.workers };
  const dir = stageDir(plan.stage);
  const extra = planEnvironment(plan);
  const { address } = host;
  return host.services.map(({ name: service }): ServiceRun => {
    const of = (daemon: () => Daemon | Promise<Daemon>, ready: ServiceRun["ready"], timeoutMs = 20_000) => ({
      host: name,
      service,
      daemon: async () => daemon(),
      ready,
      timeoutMs,
    });
    switch (service) {
      case "redis":
        return of(
          () => redisDaemon(name),
          async () => void (await redisCommand(address, PORTS.redis, secrets.redisPassword, ["PING"])),
        );
      case "sentinel":
        return of(
          () => sentinelDaemon(name),
          async () =>
            void (await redisCommand(address, PORTS.sentinel, secrets.redisPassword, [
              "SENTINEL",
              "MASTER",
              SENTINEL_NAME,
            ])),
        );
      case "postgres":
        return of(
          () => postgresDaemon(name),
          () => postgresAnswers(name),
          30_000,
        );
      case "ferretdb":
        return of(
          () => ferretDaemon(name),
          () => ferretAnswers(name),
        );
      case "api": {
        const cgroup = plan.cpu === undefined ? undefined : cgroupOf(name);
        return of(
          () => apiDaemon(name, dir, settings, extra, cgroup),
          () => apiHealthy(name),
          60_000,
        );
      }
      case "worker":
        return of(
          () => workerDaemon(name, dir, settings, extra),
          (offset) => workerReady(name, offset),
          60_000,
        );
      case "nginx":
        return of(nginxDaemon, async () => {
          const answer = await ask(`${PUBLIC_URL}/index`);
          if (answer.status !== 200) throw new Error(`/index through nginx answered ${answer.status}`);
        });
    }
  });
}
