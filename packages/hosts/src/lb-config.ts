#!/usr/bin/env node
/**
 * Prints the load balancer's nginx.conf for docker-compose.yml, which has no TypeScript of its own:
 *   node packages/hosts/dist/lb-config.js <stage> <folder of cert.pem and key.pem> > nginx.conf
 * It is the same file `npm run hosts -- up` writes for the lb host.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { lbConfig } from "./lb.js";
import { resolveStage, stageDir } from "./stage.js";
import { hostsWithRole } from "./topology.js";

const [stage, tlsDir] = process.argv.slice(2);
if (!stage || !tlsDir) {
  console.error("usage: node packages/hosts/dist/lb-config.js <stage> <tls folder>");
  process.exit(2);
}
const dir = stageDir(resolveStage(stage));
process.stdout.write(
  lbConfig(readFileSync(join(dir, "nginx.conf"), "utf8"), hostsWithRole("api"), {
    cert: join(tlsDir, "cert.pem"),
    key: join(tlsDir, "key.pem"),
  }),
);
