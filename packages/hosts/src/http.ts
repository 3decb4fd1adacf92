import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { Agent, request as httpsRequest } from "node:https";
import { certificate } from "./tls.js";

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Connections kept open for many requests, trusting the topology's certificate: a client's. */
export const keepAliveAgent = (maxSockets = 256) =>
  new Agent({ keepAlive: true, maxSockets, ca: readFileSync(certificate.cert) });

/**
 * One request, on a connection of its own unless `agent` (https) is given, trusting the topology's
 * certificate for https. Bounded in time: a host whose link is down never answers, and that must be
 * an error, not a hang; the bound runs from the moment it is sent, waiting for a socket included.
 */
export function ask(
  url: string,
  {
    method = "GET",
    headers = {},
    body,
    timeoutMs = 3_000,
    agent,
  }: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    timeoutMs?: number;
    agent?: Agent;
  } = {},
): Promise<Answer> {
  const https = url.startsWith("https:");
  const request = https ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const settle =
      <T>(done: (value: T) => void) =>
      (value: T) => {
        clearTimeout(timer);
        done(value);
      };
    const req = request(
      url,
      {
        method,
        agent: agent ?? false,
        ca: https && !agent ? readFileSync(certificate.cert) : undefined,
        headers: agent ? headers : { connection: "close", ...headers },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () =>
          settle(resolve)({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
        );
        res.on("error", settle(reject));
      },
    );
    req.on("error", settle(reject));
    req.end(body);
  });
}
