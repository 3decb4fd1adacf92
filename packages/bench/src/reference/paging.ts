/**
 * Stage 03's list two ways, on the SQLite file stage 03's seed script wrote (DB_PATH): `GET /todo`
 * answers the first page of ten, `GET /todo?all=1` every todo, both newest first, in the stages'
 * JSON (`{"data":[…]}`). The same store, the same server and the same query but for its LIMIT:
 * between the two, paging is the only difference.
 */
import Database from "better-sqlite3";
import { Hono } from "hono";
import { existsSync } from "node:fs";
import {
  ApiError,
  notFound,
  onError,
  port,
  readConfigOrExit,
  serveGracefully,
  text,
} from "@zero-to-one/server-kit";

const config = readConfigOrExit({ PORT: port(8000), HOST: text("127.0.0.1"), DB_PATH: text("") });
if (!config.DB_PATH || !existsSync(config.DB_PATH)) {
  console.error("DB_PATH must name a SQLite file seeded by stage 03 (npm run seed)");
  process.exit(2);
}

type Row = [id: string, content: string, created_at: number, is_finished: 0 | 1, finished_at: number | null];
const toTodo = ([id, content, created_at, is_finished, finished_at]: Row) => ({
  id,
  content,
  created_at,
  is_finished: is_finished === 1,
  finished_at,
});

const db = new Database(config.DB_PATH, { readonly: true });
const newestFirst =
  "SELECT id, content, created_at, is_finished, finished_at FROM todos ORDER BY created_at DESC, id DESC";
const page = db.prepare<[number], Row>(`${newestFirst} LIMIT +?`).raw();
const all = db.prepare<[], Row>(newestFirst).raw();

const app = new Hono();
app.get("/index", (c) => c.json({ msg: "hello world" }));
app.get("/todo", (c) => {
  const every = c.req.query("all");
  if (every !== undefined && every !== "1")
    throw new ApiError(400, '"all" must be 1, or left out for a page');
  return c.json({ data: (every ? all.all() : page.all(10)).map(toTodo) });
});
app.notFound(notFound(app));
app.onError(onError);

await serveGracefully({
  fetch: app.fetch,
  port: config.PORT,
  hostname: config.HOST,
  onClose: () => void db.close(),
  onListen: (url) =>
    console.log(`reference: a page or every todo of ${config.DB_PATH}, listening on ${url}/todo`),
});
