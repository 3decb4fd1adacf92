import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { limitsRaised } from "@zero-to-one/bench/dist/through-nginx.js";
import { must } from "./run.js";
import { netnsOf } from "./network.js";
import type { Daemon } from "./processes.js";
import { paths } from "./state.js";
import { certificate } from "./tls.js";
import { type Host, LB_ADDRESS, PORTS } from "./topology.js";

/** After this many failed attempts within FAIL_TIMEOUT, nginx leaves a host out for FAIL_TIMEOUT. */
const MAX_FAILS = 2;
const FAIL_TIMEOUT = "10s";

/**
 * The load balancer's nginx.conf: the stage's own file (HTTPS, limits, JSON error pages), with its
 * one local upstream replaced by the API hosts, its addresses moved to the lb host, and the
 * settings that matter with several upstreams added at the top of its http block. With
 * `raiseLimits`, its limit_req rates are raised out of the way of a load that comes from one
 * address (the drills' and scale's load generator on this machine), as the bench tour does.
 */
export function lbConfig(
  stageConfig: string,
  apis: readonly Host[],
  tls = certificate,
  { raiseLimits = false } = {},
): string {
  const replace = (from: string | RegExp, to: string) => {
    const next = config.replace(from, to);
    if (next === config) throw new Error(`the stage's nginx.conf no longer has ${String(from)}`);
    config = next;
  };
  let config = stageConfig;
  const upstreams = apis
    .map((api) => `server ${api.address}:${PORTS.api} max_fails=${MAX_FAILS} fail_timeout=${FAIL_TIMEOUT};`)
    .join("\n        ");
  replace("server 127.0.0.1:8000;", upstreams);
  replace(`listen 127.0.0.1:${PORTS.http};`, `listen ${LB_ADDRESS}:${PORTS.http};`);
  replace(`listen 127.0.0.1:${PORTS.https} ssl;`, `listen ${LB_ADDRESS}:${PORTS.https} ssl;`);
  replace(/ssl_certificate\s+\.data\/tls\/cert\.pem;/, `ssl_certificate     ${tls.cert};`);
  replace(/ssl_certificate_key\s+\.data\/tls\/key\.pem;/, `ssl_certificate_key ${tls.key};`);
  replace(/^(\s*)access_log off;.*$/m, `$1access_log ${UPSTREAM_LOG} upstream;`);
  replace(/^http \{\n/m, `http {\n${SEVERAL_UPSTREAMS}\n`);
  return raiseLimits ? limitsRaised(config, "the stage's nginx.conf") : config;
}

export const UPSTREAM_LOG = "upstream.log";

const SEVERAL_UPSTREAMS = `    # --- added for several API hosts (packages/hosts/src/lb.ts) ---
    # Which host served each request, for drills and for checking that every host is reached.
    log_format upstream '$time_iso8601 $request_method $uri $status upstream=$upstream_addr upstream_status=$upstream_status';

    # Passive health checks: a host that fails max_fails times within fail_timeout (see the server
    # lines) gets no requests for fail_timeout, then one to see whether it is back.
    # On a LAN a connection is made in well under a millisecond: a host that has not answered a
    # connect within a second is down (unplugged, frozen), and waiting 60 s (the default) for it
    # would hold the client that long.
    proxy_connect_timeout 1s;
    # A host that stops answering on a connection already open (unplugged, frozen, overloaded) is
    # noticed only by this timeout (60 s by default). The API answers in milliseconds; the slowest
    # request is an inline export (?inline=1), which takes seconds.
    proxy_read_timeout 10s;
    # When a host cannot be reached or fails to answer, nginx tries the next one. It does so only
    # for requests that are safe to send twice: never for a POST (or PATCH) that has already been
    # sent to a host, since that host may have carried it out before it failed, and a second host
    # would do it again (two todos, two exports, two accounts). Leaving out "non_idempotent" here
    # is what keeps nginx from retrying them; a POST that never reached a host (connect refused,
    # connect timeout) is still sent to the next one. The client retries a failed POST itself,
    # with an Idempotency-Key where the API has one. nginx also counts PUT and DELETE as
    # idempotent and retries them; this API makes them so (finishing twice keeps the first time,
    # deleting twice leaves the todo deleted).
    # A 5xx answer is not retried: the host answered, and its dependencies are every host's.
    proxy_next_upstream error timeout;
    proxy_next_upstream_tries 3;
    # room for one host that timed out (proxy_read_timeout) and the next one's answer
    proxy_next_upstream_timeout 30s;
    # --- end of the additions ---
`;

/** Writes the config into the lb host's folder, which is nginx's prefix (pid, temp folders, logs). */
export function writeLbConfig(
  stageDir: string,
  apis: readonly Host[],
  options: { raiseLimits?: boolean } = {},
): string {
  const prefix = paths.host("lb");
  mkdirSync(prefix, { recursive: true });
  // nginx's workers drop root for an unprivileged user, which must reach the temp folders
  chmodSync(prefix, 0o755);
  const file = join(prefix, "nginx.conf");
  writeFileSync(
    file,
    lbConfig(readFileSync(join(stageDir, "nginx.conf"), "utf8"), apis, certificate, options),
  );
  return file;
}

/**
 * nginx reads its config again: new workers with it take the new connections, the old ones finish
 * the requests they hold. What changed (the API hosts, say) applies without a moment of downtime.
 */
export async function reloadLb(): Promise<void> {
  const prefix = paths.host("lb");
  await must([
    "ip",
    "netns",
    "exec",
    netnsOf("lb"),
    ...["nginx", "-p", `${prefix}/`, "-c", join(prefix, "nginx.conf"), "-e", "stderr", "-s", "reload"],
  ]);
}

export const nginxDaemon = (): Daemon => ({
  argv: ["nginx", "-p", `${paths.host("lb")}/`, "-c", join(paths.host("lb"), "nginx.conf"), "-e", "stderr"],
  env: {},
  log: paths.log("lb", "nginx"),
});
