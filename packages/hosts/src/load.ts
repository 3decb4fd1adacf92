import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { ask, keepAliveAgent } from "./http.js";
import { PUBLIC_URL } from "./topology.js";

/** A signed-in client of the API: an account of its own, and the bearer token it got for it. */
export interface Account {
  username: string;
  password: string;
  authorization: string;
  /** The todos the API acknowledged (2xx) to this client, which `get` reads back. */
  todos: { id: string; acknowledgedAt: number }[];
  /**
   * A reader only reads (READS): its reads go to the replica, where a writer's go to the primary
   * for a moment after each of its writes (read-your-writes), which with a write every second or so
   * is always.
   */
  reader?: boolean;
}

const json = (body: unknown) => ({
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

/** Signs up through the load balancer, then signs in as an API client does: POST /tokens. */
export async function signUp(username: string, password = randomBytes(12).toString("hex")): Promise<Account> {
  const made = await ask(`${PUBLIC_URL}/signup`, { method: "POST", ...json({ username, password }) });
  if (made.status !== 201)
    throw new Error(`signing up ${username}: ${made.status} ${made.body.slice(0, 200)}`);
  return signIn(username, password);
}

export async function signIn(username: string, password: string): Promise<Account> {
  const answer = await ask(`${PUBLIC_URL}/tokens`, { method: "POST", ...json({ username, password }) });
  const token = answer.status === 201 ? (JSON.parse(answer.body) as { token?: string }).token : undefined;
  if (!token) throw new Error(`signing in as ${username}: ${answer.status} ${answer.body.slice(0, 200)}`);
  return { username, password, authorization: `Bearer ${token}`, todos: [] };
}

export type Action = "create" | "list" | "get" | "export";

/** One request of the load and what became of it. Times are Date.now() milliseconds. */
export interface Sent {
  action: Action;
  account: string;
  sentAt: number;
  doneAt: number;
  /** The HTTP status, or 0 when no answer came (refused, reset, timed out). */
  status: number;
  /** X-Served-By: the API host that answered, when one did. */
  servedBy?: string;
  /** A create's content, unique in the whole load: what is looked for in the database afterwards. */
  content?: string;
  /** An accepted export's job. */
  jobId?: string;
  error?: string;
}

/**
 * What each writing client does in turn, over and over: a fifth writes (a todo with content no other
 * request has), the rest reads (the first page, one of its own todos), and one in twenty queues an
 * export of everything it has.
 */
export const MIX: readonly Action[] = [
  ..."create list get get list create list get list get".split(" "),
  ..."create list get list get create list get list export".split(" "),
] as Action[];

/** What a reader does in turn: first pages and single todos. */
export const READS: readonly Action[] = "list get get list get".split(" ") as Action[];

/** Gives a reader something to read: `count` todos, made before the load (not counted in it). */
export async function giveTodos(account: Account, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const made = await ask(`${PUBLIC_URL}/todo`, {
      method: "POST",
      headers: { authorization: account.authorization, ...json({}).headers },
      body: json({ content: `todo ${i + 1} of ${account.username}` }).body,
    });
    if (made.status !== 201) throw new Error(`POST /todo for ${account.username}: ${made.status}`);
    account.todos.push({ id: (JSON.parse(made.body) as { id: string }).id, acknowledgedAt: Date.now() });
  }
}

export interface LoadOptions {
  accounts: Account[];
  /** Requests per second over all accounts, sent on time whether or not earlier ones have answered. */
  ratePerSec: number;
  /** How long one request may take before it counts as no answer; above the lb's 10 s read timeout. */
  timeoutMs?: number;
  /** Told about each request as it ends. */
  onSent?: (sent: Sent) => void;
}

export interface Load {
  /** Every request so far, in the order they were sent. */
  sent: Sent[];
  /** `get` reads only todos acknowledged before this moment (the restore drill's backup). */
  readOnlyBefore: (at: number) => void;
  /** Stops sending, waits for the requests under way, and returns every request. */
  stop: () => Promise<Sent[]>;
}

/**
 * A steady load through the load balancer, from this machine: an open loop, as users are (each
 * request goes out at its time, however slow the ones before it are), so a failure shows up as
 * errors and slow answers at the moment it happens instead of slowing the load down.
 */
export function startLoad({ accounts, ratePerSec, timeoutMs = 15_000, onSent }: LoadOptions): Load {
  const agent = keepAliveAgent();
  const run = randomBytes(4).toString("hex");
  const sent: Sent[] = [];
  const pending = new Set<Promise<void>>();
  let readBefore = Infinity;
  let stopped = false;
  let n = 0;

  const send = async (account: Account, action: Action) => {
    const seq = n++;
    const record: Sent = { action, account: account.username, sentAt: Date.now(), doneAt: 0, status: 0 };
    sent.push(record);
    const headers = { authorization: account.authorization };
    let url = `${PUBLIC_URL}/todo`;
    let init: Parameters<typeof ask>[1] = { headers };
    if (action === "create") {
      record.content = `drill ${run} ${account.username} #${seq}`;
      init = {
        method: "POST",
        headers: { ...headers, ...json({}).headers },
        body: json({ content: record.content }).body,
      };
    } else if (action === "get") {
      const known = account.todos.filter((t) => t.acknowledgedAt < readBefore);
      const todo = known[Math.floor(Math.random() * known.length)];
      if (todo) url = `${PUBLIC_URL}/todo/${todo.id}`;
      else record.action = "list";
    } else if (action === "export") {
      url = `${PUBLIC_URL}/todo/export`;
      init = { method: "POST", headers };
    }
    try {
      const answer = await ask(url, { ...init, agent, timeoutMs });
      record.doneAt = Date.now();
      record.status = answer.status;
      const servedBy = answer.headers["x-served-by"];
      if (typeof servedBy === "string") record.servedBy = servedBy;
      if (answer.status === 201 && action === "create") {
        account.todos.push({
          id: (JSON.parse(answer.body) as { id: string }).id,
          acknowledgedAt: record.doneAt,
        });
      }
      if (answer.status === 202 && action === "export") {
        record.jobId = (JSON.parse(answer.body) as { job_id: string }).job_id;
      }
    } catch (error) {
      record.doneAt = Date.now();
      record.error = (error as Error).message;
    }
    onSent?.(record);
  };

  const loop = (async () => {
    const began = performance.now();
    for (let i = 0; !stopped; i++) {
      const account = accounts[i % accounts.length]!;
      const mix = account.reader ? READS : MIX;
      const action = mix[Math.floor(i / accounts.length) % mix.length]!;
      const request = send(account, action);
      pending.add(request);
      void request.finally(() => pending.delete(request));
      const wait = began + ((i + 1) * 1000) / ratePerSec - performance.now();
      if (wait > 0) await sleep(wait);
    }
  })();

  return {
    sent,
    readOnlyBefore: (at) => (readBefore = at),
    stop: async () => {
      stopped = true;
      await loop;
      await Promise.all(pending);
      agent.destroy();
      return sent;
    },
  };
}
