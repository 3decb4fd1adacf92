import { startTestMongo, type Cluster } from "@zero-to-one/test-kit";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCluster, testRedis } from "./cluster.js";

/** What an attacker types where the app expects plain text: each must stay plain text. */
const SQL = [
  "' OR 1=1 --",
  '"; DROP TABLE todos; --',
  "x' UNION SELECT id, password_hash, 1, 1, 1 FROM users --",
];
/** What an attacker sends where a MongoDB query expects a value: each must be refused, never run. */
const OPERATORS = [{ $ne: null }, { $gt: "" }, { $regex: ".*" }, { $where: "sleep(100) || true" }];

const PASSWORD = "a passphrase long enough";

if (testRedis.skipped) console.log(`skipped: ${testRedis.skipped} (sessions live in Redis)`);

/**
 * Every input of the API, fed SQL and MongoDB operators, on one running server: `start` gives it
 * with the store under test. Nothing is interpreted: text is stored as text, anything that is not
 * the expected type is a 400, and an id that is no id is a 404.
 */
function describeInjection(label: string, start: () => Promise<Cluster>) {
  describe(label, () => {
    let cluster: Cluster;
    let victim: string;
    let attacker: string;
    let victimTodo: string;

    const call = async (
      method: string,
      path: string,
      { cookie, body, form }: { cookie?: string; body?: unknown; form?: string } = {},
    ) => {
      const res = await fetch(`${cluster.url}${path}`, {
        method,
        headers: {
          ...(cookie ? { cookie } : {}),
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
          ...(form !== undefined ? { "content-type": "application/x-www-form-urlencoded" } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : form,
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null, res };
    };
    const signUp = async (username: string) => {
      const reply = await call("POST", "/signup", { body: { username, password: PASSWORD } });
      expect(reply.status).toBe(201);
      return /session=[^;]+/.exec(reply.res.headers.get("set-cookie") ?? "")![0];
    };
    const contents = async (cookie: string) =>
      ((await call("GET", "/todo?limit=100", { cookie })).body!["data"] as { content: string }[]).map(
        (todo) => todo.content,
      );

    beforeAll(async () => {
      cluster = await start();
      victim = await signUp("victim");
      attacker = await signUp("attacker");
      victimTodo = (
        (await call("POST", "/todo", { cookie: victim, body: { content: "the victim's secret" } })).body as {
          id: string;
        }
      ).id;
    });
    afterAll(async () => {
      if (cluster && cluster.child.exitCode === null) expect(await cluster.stop()).toBe(0);
    });

    describe("content", () => {
      it.each(SQL)("stores %j as the text it is, and reads it back unchanged", async (content) => {
        const added = await call("POST", "/todo", { cookie: attacker, body: { content } });
        expect(added.status).toBe(201);
        expect(added.body!["content"]).toBe(content);
        const read = await call("GET", `/todo/${added.body!["id"] as string}`, { cookie: attacker });
        expect(read.body!["content"]).toBe(content);
      });

      it.each(OPERATORS)("refuses the object %j in JSON with 400", async (operator) => {
        const reply = await call("POST", "/todo", { cookie: attacker, body: { content: operator } });
        expect(reply.status).toBe(400);
        expect(reply.body).toEqual({
          error: { status: 400, message: 'the field "content" must be a single string' },
        });
      });

      it("refuses operator-shaped and repeated form fields with 400 (content[$ne]=…, content twice)", async () => {
        expect((await call("POST", "/todo", { cookie: attacker, form: "content[$ne]=x" })).status).toBe(400);
        expect((await call("POST", "/todo", { cookie: attacker, form: "content=a&content=b" })).status).toBe(
          400,
        );
      });
    });

    describe("username and password", () => {
      it.each(OPERATORS)(
        "logging in with the username %j is a 400, not a login as anyone",
        async (operator) => {
          for (const path of ["/login", "/tokens"]) {
            const reply = await call("POST", path, { body: { username: operator, password: PASSWORD } });
            expect(reply.status).toBe(400);
            expect(reply.res.headers.get("set-cookie")).toBeNull();
          }
        },
      );

      it.each(OPERATORS)("a real username with the password %j is a 400, not a login", async (operator) => {
        const reply = await call("POST", "/login", { body: { username: "victim", password: operator } });
        expect(reply.status).toBe(400);
        expect(reply.res.headers.get("set-cookie")).toBeNull();
      });

      it("operators in a login form are no fields at all: 400", async () => {
        const reply = await call("POST", "/login", { form: "username[$ne]=x&password[$ne]=x" });
        expect(reply.status).toBe(400);
      });

      it.each(SQL)(
        "logging in with %j as username or password is a plain wrong guess (401)",
        async (text) => {
          expect((await call("POST", "/login", { body: { username: text, password: text } })).status).toBe(
            401,
          );
          expect(
            (await call("POST", "/login", { body: { username: "victim", password: text } })).status,
          ).toBe(401);
        },
      );

      it.each(SQL)("signing up as %j is refused by the username rule (400)", async (username) => {
        expect((await call("POST", "/signup", { body: { username, password: PASSWORD } })).status).toBe(400);
      });

      it("a SQL string is a password like any other: stored hashed, and only it logs in", async () => {
        const password = SQL[1]! + " and more";
        expect((await call("POST", "/signup", { body: { username: "quoted", password } })).status).toBe(201);
        expect((await call("POST", "/login", { body: { username: "quoted", password } })).status).toBe(200);
        expect(
          (await call("POST", "/login", { body: { username: "quoted", password: SQL[0] } })).status,
        ).toBe(401);
      });
    });

    describe("ids in the path", () => {
      const ids = [...SQL, ...OPERATORS.map((operator) => JSON.stringify(operator))];

      it.each(ids)("%s names no todo: 404 on read, finish and delete", async (id) => {
        const path = `/todo/${encodeURIComponent(id)}`;
        expect((await call("GET", path, { cookie: attacker })).status).toBe(404);
        expect((await call("PUT", `${path}/finish`, { cookie: attacker })).status).toBe(404);
        expect((await call("DELETE", path, { cookie: attacker })).status).toBe(404);
        expect((await call("GET", `/jobs/${encodeURIComponent(id)}`, { cookie: attacker })).status).toBe(404);
      });
    });

    describe("query parameters and the cursor", () => {
      it.each(SQL)("start or limit of %j is a 400", async (text) => {
        const q = encodeURIComponent(text);
        expect((await call("GET", `/todo?start=${q}`, { cookie: attacker })).status).toBe(400);
        expect((await call("GET", `/todo?limit=${q}`, { cookie: attacker })).status).toBe(400);
        expect((await call("GET", `/todo?before=${q}`, { cookie: attacker })).status).toBe(400);
      });

      it("start[$gt]= is no parameter the API knows: ignored, and still only the caller's todos", async () => {
        const reply = await call("GET", "/todo?start[$gt]=&limit[$ne]=1", { cookie: attacker });
        expect(reply.status).toBe(200);
        expect(await contents(attacker)).not.toContain("the victim's secret");
      });

      it("a cursor carrying operators is a 400; one carrying SQL text is only a position, in the caller's own todos", async () => {
        const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
        const operators = cursor({ created_at: { $gt: 0 }, id: { $ne: null } });
        expect((await call("GET", `/todo?before=${operators}`, { cookie: attacker })).status).toBe(400);
        const text = cursor({ created_at: 4_000_000_000, id: SQL[0] });
        const page = await call("GET", `/todo?before=${text}`, { cookie: attacker });
        expect(page.status).toBe(200);
        const listed = (page.body!["data"] as { content: string }[]).map((todo) => todo.content);
        // SQLite reads the text as an id to page after (every todo sorts before it), MongoDB finds no
        // ObjectId in it (an empty page): either way nothing but the caller's own todos
        expect(listed.every((content) => SQL.includes(content))).toBe(true);
      });
    });

    it("afterwards every table and every todo is intact, and each user sees only their own", async () => {
      expect(await contents(victim)).toEqual(["the victim's secret"]);
      const mine = await contents(attacker);
      expect(mine.sort()).toEqual([...SQL].sort());
      expect((await call("GET", `/todo/${victimTodo}`, { cookie: attacker })).status).toBe(404);
      expect(
        (await call("POST", "/login", { body: { username: "victim", password: PASSWORD } })).status,
      ).toBe(200);
    });
  });
}

// generous limits: this suite signs up and logs in far more often than a person would
const env = { RATE_LIMIT_LOGIN: "1000/100", RATE_LIMIT_API: "10000/1000" };

describe.skipIf(Boolean(testRedis.skipped))("injection", () => {
  describeInjection("SQLite", () => startCluster({ ...env, WORKERS: "1" }));
});

const mongo = await startTestMongo();
if (mongo.skipped !== undefined) console.log(`skipped: ${mongo.skipped}`);
else console.log(`injection: the MongoDB store on ${mongo.server.label}`);
const database = `todo_injection_${process.pid}_${Date.now()}`;
afterAll(async () => {
  if (mongo.skipped !== undefined) return;
  const client = new MongoClient(mongo.url);
  try {
    await client.db(database).dropDatabase();
  } finally {
    await client.close();
    await mongo.stop();
  }
});

// the suite's name says which server answered: FerretDB passing is not MongoDB passing
describe.skipIf(Boolean(testRedis.skipped) || mongo.skipped !== undefined)(
  `injection on ${mongo.skipped === undefined ? mongo.server.label : "MongoDB"}`,
  () => {
    describeInjection("MongoDB store", () => {
      const url = new URL(mongo.url!);
      url.pathname = `/${database}`;
      return startCluster({ ...env, WORKERS: "1", MONGO_URL: url.toString() });
    });
  },
);
