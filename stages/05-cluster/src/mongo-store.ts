import {
  MongoClient,
  MongoNetworkError,
  MongoServerSelectionError,
  ObjectId,
  type OptionalId,
  type WithId,
} from "mongodb";
import {
  now,
  StoreUnavailableError,
  type Cursor,
  type Seedable,
  type Todo,
  type TodoStore,
} from "./store.js";

/** A todo as MongoDB keeps it: the id is an ObjectId in `_id`. */
interface TodoDocument {
  content: string;
  created_at: number;
  is_finished: boolean;
  finished_at: number | null;
  /** Marks what `npm run seed` wrote, so seeding again replaces it. */
  seeded?: true;
}

const toTodo = (doc: WithId<TodoDocument>): Todo => ({
  id: doc._id.toHexString(),
  content: doc.content,
  created_at: doc.created_at,
  is_finished: doc.is_finished,
  finished_at: doc.finished_at,
});

/**
 * `new ObjectId("not-an-id")` throws, which turns a typo in a URL into a 500. Only 24 hex
 * digits can name a todo; anything else is simply not found. (ObjectId.isValid is no help:
 * it also accepts any 12-character string.)
 */
const toObjectId = (id: string) => (/^[0-9a-f]{24}$/i.test(id) ? new ObjectId(id) : undefined);

const NEWEST_FIRST = { created_at: -1, _id: -1 } as const;

/**
 * The article's database, used when MONGO_URL is set. Connects before returning, so a wrong
 * URL stops start-up with one clear line instead of failing on the first request.
 */
export async function createMongoStore(
  url: string,
  { dbName }: { dbName?: string } = {},
): Promise<TodoStore & Seedable> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5_000 });
  await client.connect();
  const todos = client.db(dbName).collection<TodoDocument>("todos");
  // The step of this stage: the newest-first order as an index. createIndex does nothing
  // when an index with the same keys already exists.
  await todos.createIndex(NEWEST_FIRST, { name: "newest_first" });

  return {
    kind: "mongo",

    list: ({ start, limit }) =>
      guard(async () =>
        (await todos.find().sort(NEWEST_FIRST).skip(start).limit(limit).toArray()).map(toTodo),
      ),

    listBefore: async (cursor: Cursor | null, limit) => {
      if (!cursor)
        return guard(async () => (await todos.find().sort(NEWEST_FIRST).limit(limit).toArray()).map(toTodo));
      const _id = toObjectId(cursor.id);
      if (!_id) return []; // no todo can sit after an id that is not an ObjectId
      // created_at <= c bounds the index scan; the $or then skips the ties already served
      const filter = {
        created_at: { $lte: cursor.created_at },
        $or: [{ created_at: { $lt: cursor.created_at } }, { _id: { $lt: _id } }],
      };
      return guard(async () =>
        (await todos.find(filter).sort(NEWEST_FIRST).limit(limit).toArray()).map(toTodo),
      );
    },

    get: async (id) => {
      const _id = toObjectId(id);
      if (!_id) return undefined;
      const doc = await guard(() => todos.findOne({ _id }));
      return doc ? toTodo(doc) : undefined;
    },

    add: async (content) => {
      const doc = { _id: new ObjectId(), content, created_at: now(), is_finished: false, finished_at: null };
      await guard(() => todos.insertOne(doc));
      return toTodo(doc);
    },

    finish: async (id) => {
      const _id = toObjectId(id);
      if (!_id) return undefined;
      // The filter makes it atomic: only one write can still match is_finished: false, so only
      // the first finish sets finished_at. Matching nothing means already finished, or no such todo.
      const doc = await guard(
        async () =>
          (await todos.findOneAndUpdate(
            { _id, is_finished: false },
            { $set: { is_finished: true, finished_at: now() } },
            { returnDocument: "after" },
          )) ?? (await todos.findOne({ _id })),
      );
      return doc ? toTodo(doc) : undefined;
    },

    remove: async (id) => {
      const _id = toObjectId(id);
      if (!_id) return false;
      return (await guard(() => todos.deleteOne({ _id }))).deletedCount === 1;
    },

    ping: async () => void (await guard(() => client.db().command({ ping: 1 }))),

    close: () => client.close(),

    countSeeded: () => guard(() => todos.countDocuments({ seeded: true })),

    clear: async (which) =>
      void (await guard(() => todos.deleteMany(which === "seeded" ? { seeded: true } : {}))),

    // insertMany in batches: one round trip per 10,000 todos instead of one per todo
    insertSeeded: async (seed, onProgress) => {
      let batch: OptionalId<TodoDocument>[] = [];
      let done = 0;
      const flush = async () => {
        await guard(() => todos.insertMany(batch, { ordered: false }));
        done += batch.length;
        batch = [];
        onProgress(done);
      };
      for (const todo of seed) {
        batch.push({ ...todo, seeded: true });
        if (batch.length === 10_000) await flush();
      }
      if (batch.length > 0) await flush();
    },
  };
}

/**
 * A lost connection: the driver's own errors for it, or the socket's, which the driver passes on
 * unwrapped when a command is written to a connection the server has just closed (EPIPE).
 */
const lostConnection = (error: unknown): error is Error =>
  error instanceof MongoNetworkError ||
  error instanceof MongoServerSelectionError ||
  ["EPIPE", "ECONNRESET", "ECONNREFUSED"].includes((error as NodeJS.ErrnoException)?.code ?? "");

/** A lost connection is a 503 the client can retry, not a 500. */
async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (lostConnection(error)) throw new StoreUnavailableError(`MongoDB is unreachable: ${error.message}`);
    throw error;
  }
}
