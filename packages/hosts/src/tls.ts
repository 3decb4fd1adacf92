import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { must } from "./run.js";
import { paths } from "./state.js";
import { LB_ADDRESS } from "./topology.js";

export const certificate = { cert: join(paths.tls, "cert.pem"), key: join(paths.tls, "key.pem") };

/**
 * A self-signed certificate for the load balancer's address (and localhost), made as the stage's
 * scripts/make-cert.sh makes its own; callers trust it with `--cacert .data/hosts/tls/cert.pem`.
 */
export async function makeCertificate(): Promise<void> {
  mkdirSync(paths.tls, { recursive: true, mode: 0o700 });
  await must([
    "openssl",
    "req",
    "-x509",
    ...["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "30"],
    ...["-subj", "/CN=zto-lb", "-addext", `subjectAltName=IP:${LB_ADDRESS},IP:127.0.0.1,DNS:localhost`],
    ...["-keyout", certificate.key, "-out", certificate.cert],
  ]);
}
