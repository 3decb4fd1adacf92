import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@zero-to-one/test-kit";
import { describe, expect, it } from "vitest";
import { lbConfig } from "../src/lb.js";
import { stageDir } from "../src/stage.js";
import { hostsWithRole, LB_ADDRESS } from "../src/topology.js";

const stageConfig = readFileSync(join(stageDir("08-secure"), "nginx.conf"), "utf8");
const tls = { cert: "/tls/cert.pem", key: "/tls/key.pem" };

const noNginx = spawnSync("nginx", ["-v"]).error
  ? "nginx is not installed (apt-get install nginx-light)"
  : spawnSync("openssl", ["version"]).error
    ? "openssl is not installed (apt-get install openssl)"
    : undefined;
if (noNginx) console.log(`skipped: the load balancer's config through nginx -t: ${noNginx}`);

describe("the load balancer's nginx.conf", () => {
  const config = lbConfig(stageConfig, hostsWithRole("api"), tls);

  it("balances over every API host, each left out for a while after failures", () => {
    for (const api of hostsWithRole("api")) {
      expect(config).toContain(`server ${api.address}:8000 max_fails=2 fail_timeout=10s;`);
    }
    expect(config).not.toContain("server 127.0.0.1:8000");
  });

  it("goes on to the next host on errors and timeouts only, never for a POST already sent", () => {
    const directive = /^\s*proxy_next_upstream\s+([^;]*);/m.exec(config)?.[1];
    expect(directive?.split(/\s+/)).toEqual(["error", "timeout"]);
    expect(config).not.toMatch(/^\s*proxy_next_upstream\b[^;]*non_idempotent/m);
  });

  it("keeps the stage's HTTPS, on the lb's address, with the topology's certificate", () => {
    expect(config).toContain(`listen ${LB_ADDRESS}:8443 ssl;`);
    expect(config).toContain(`listen ${LB_ADDRESS}:8888;`);
    expect(config).toMatch(/ssl_certificate\s+\/tls\/cert\.pem;/);
    expect(config).toContain("limit_req zone=api"); // the stage's own limits are still there
  });

  it("raises every limit_req rate for a load from one address, and only when asked", () => {
    const raised = lbConfig(stageConfig, hostsWithRole("api"), tls, { raiseLimits: true });
    const rates = (text: string) =>
      [...text.matchAll(/limit_req_zone [^;]* rate=([^;]+);/g)].map((m) => m[1]);
    expect(rates(config).length).toBeGreaterThan(0);
    expect(rates(config)).not.toContain("1000000r/s");
    expect(rates(raised)).toEqual(rates(config).map(() => "1000000r/s"));
  });

  it("says so when the stage's file no longer has what it replaces", () => {
    expect(() =>
      lbConfig(stageConfig.replace("server 127.0.0.1:8000;", ""), hostsWithRole("api"), tls),
    ).toThrow(/no longer has server 127\.0\.0\.1:8000;/);
  });

  it.skipIf(noNginx)("is a file nginx accepts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zto-lb-test-"));
    try {
      chmodSync(dir, 0o755);
      spawnSync("openssl", [
        ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"],
        ...[
          "-days",
          "1",
          "-subj",
          "/CN=test",
          "-keyout",
          join(dir, "key.pem"),
          "-out",
          join(dir, "cert.pem"),
        ],
      ]);
      const file = join(dir, "nginx.conf");
      // nginx -t binds its listen addresses: the lb's exists only in the lb host, so free ports here
      const [http, https] = [await freePort(), await freePort()];
      const config = lbConfig(stageConfig, hostsWithRole("api"), {
        cert: join(dir, "cert.pem"),
        key: join(dir, "key.pem"),
      })
        .replace(`listen ${LB_ADDRESS}:8888;`, `listen 127.0.0.1:${http};`)
        .replace(`listen ${LB_ADDRESS}:8443 ssl;`, `listen 127.0.0.1:${https} ssl;`);
      writeFileSync(file, config);
      const checked = spawnSync("nginx", ["-t", "-p", `${dir}/`, "-c", file, "-e", "stderr"], {
        encoding: "utf8",
      });
      expect(checked.stderr).toContain("syntax is ok");
      expect(checked.stderr).toContain("test is successful");
      expect(checked.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
