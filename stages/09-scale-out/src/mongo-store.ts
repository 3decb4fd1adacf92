import {
  type Collection,
  MongoClient,
  MongoNetworkError,
  MongoServerError,
  MongoServerSelectionError,
  ObjectId,
  type OptionalId,
  type WithId,
} from "mongodb";
import {
  now,
  StoreUnavailableError,
  type Cursor,
  type Owner,
  type Seedable,
  type Todo,
  type TodoStore,
  type User,
  type UserStore,
} from "./store.js";

/** A todo as MongoDB keeps it: the id is an ObjectId in `_id`, its owner the account's id as text. */
interface TodoDocument {
  /** Absent on todos written before accounts existed: no one sees those. */
  owner?: Owner;
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

/** An account: its id is an ObjectId, which the API and the todos' `owner` show as 24 hex digits. */
interface UserDocument {
  username: string;
  password_hash: string | null;
  created_at: number;
}

const toUser = (doc: WithId<UserDocument>): User => ({
  id: doc._id.toHexString(),
  username: doc.username,
  created_at: doc.created_at,
});

/** MongoDB's error code for a write that would break a unique index. */
const DUPLICATE_KEY = 11000;

/**
 * `new ObjectId("not-an-id")` throws, which turns a typo in a URL into a 500. Only 24 hex
 * digits can name a todo; anything else is simply not found. (ObjectId.isValid is no help:
 * it also accepts any 12-character string.)
 */
const toObjectId = (id: string) => (/^[0-9a-f]{24}$/i.test(id) ? new ObjectId(id) : undefined);

const NEWEST_FIRST = { created_at: -1, _id: -1 } as const;
/** Every list is one owner's: equality on the owner first, then the newest-first order. */
const OWNER_NEWEST_FIRST = { owner: 1, ...NEWEST_FIRST } as const;

/**
 * The article's database, used when MONGO_URL is set. Connects before returning, so a wrong
 * URL stops start-up with one clear line instead of failing on the first request.
 *
 * `readOnly`: a replica (MONGO_READ_URL), which only reads. It makes no index (the primary's come
 * with the copy), connects on its first read, so a replica that is down does not stop start-up,
 * and gives up sooner, since the primary can answer instead (read-routing.ts).
 */
export async function createMongoStore(
  url: string,
  { dbName, readOnly = false }: { dbName?: string; readOnly?: boolean } = {},
): Promise<TodoStore & UserStore & Seedable> {
  const client = new MongoClient(
    url,
    readOnly
      ? // a replica that stops answering mid-read fails that read after 2 s (socketTimeoutMS); the
        // driver's timeoutMS would say it better, but it has no effect in this driver version
        { serverSelectionTimeoutMS: 1_000, connectTimeoutMS: 1_000, socketTimeoutMS: 2_000 }
      : { serverSelectionTimeoutMS: 5_000 },
  );
  const todos = client.db(dbName).collection<TodoDocument>("todos");
  const users = client.db(dbName).collection<UserDocument>("users");
  if (!readOnly) await createIndexes(client, todos, users);
  return {
    kind: "mongo",

    list: (owner, { start, limit }) =>
      guard(async () =>
        (await todos.find({ owner }).sort(NEWEST_FIRST).skip(start).limit(limit).toArray()).map(toTodo),
      ),

    listBefore: async (owner, cursor: Cursor | null, limit) => {
      if (!cursor)
        return guard(async () =>
          (await todos.find({ owner }).sort(NEWEST_FIRST).limit(limit).toArray()).map(toTodo),
        );
      const _id = toObjectId(cursor.id);
      if (!_id) return []; // no todo can sit after an id that is not an ObjectId
      // created_at <= c bounds the index scan; the $or then skips the ties already served
      const filter = {
        owner,
        created_at: { $lte: cursor.created_at },
        $or: [{ created_at: { $lt: cursor.created_at } }, { _id: { $lt: _id } }],
      };
      return guard(async () =>
        (await todos.find(filter).sort(NEWEST_FIRST).limit(limit).toArray()).map(toTodo),
      );
    },

    // one owner's todos: counted along the owner's part of the index
    count: (owner) => guard(() => todos.countDocuments({ owner })),

    get: async (owner, id) => {
      const _id = toObjectId(id);
      if (!_id) return undefined;
      const doc = await guard(() => todos.findOne({ _id, owner }));
      return doc ? toTodo(doc) : undefined;
    },

    add: async (owner, content) => {
      const doc = {
        _id: new ObjectId(),
        owner,
        content,
        created_at: now(),
        is_finished: false,
        finished_at: null,
      };
      await guard(() => todos.insertOne(doc));
      return toTodo(doc);
    },

    finish: async (owner, id) => {
      const _id = toObjectId(id);
      if (!_id) return undefined;
      // The filter makes it atomic: only one write can still match is_finished: false, so only
      // the first finish sets finished_at. Matching nothing means already finished, or no such todo.
      const doc = await guard(
        async () =>
          (await todos.findOneAndUpdate(
            { _id, owner, is_finished: false },
            { $set: { is_finished: true, finished_at: now() } },
            { returnDocument: "after" },
          )) ?? (await todos.findOne({ _id, owner })),
      );
      return doc ? toTodo(doc) : undefined;
    },

    remove: async (owner, id) => {
      const _id = toObjectId(id);
      if (!_id) return false;
      return (await guard(() => todos.deleteOne({ _id, owner }))).deletedCount === 1;
    },

    addUser: async (username, passwordHash) => {
      const doc = { _id: new ObjectId(), username, password_hash: passwordHash, created_at: now() };
      try {
        await guard(() => users.insertOne(doc));
      } catch (error) {
        if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return undefined;
        throw error;
      }
      return toUser(doc);
    },

    findAccount: async (username) => {
      const doc = await guard(() => users.findOne({ username }));
      return doc ? { ...toUser(doc), password_hash: doc.password_hash } : undefined;
    },

    getUser: async (id) => {
      const _id = toObjectId(id);
      if (!_id) return undefined;
      const doc = await guard(() => users.findOne({ _id }));
      return doc ? toUser(doc) : undefined;
    },

    setPasswordHash: async (id, passwordHash) => {
      const _id = toObjectId(id);
      if (!_id) return false;
      const result = await guard(() => users.updateOne({ _id }, { $set: { password_hash: passwordHash } }));
      return result.matchedCount === 1;
    },

    ping: async () => void (await guard(() => client.db().command({ ping: 1 }))),

    close: () => client.close(),

    countSeeded: (owner) => guard(() => todos.countDocuments({ owner, seeded: true })),

    clear: async (owner, which) =>
      void (await guard(() => todos.deleteMany(which === "seeded" ? { owner, seeded: true } : { owner }))),

    // insertMany in batches: one round trip per 10,000 todos instead of one per todo
    insertSeeded: async (owner, seed, onProgress) => {
      let batch: OptionalId<TodoDocument>[] = [];
      let done = 0;
      const flush = async () => {
        await guard(() => todos.insertMany(batch, { ordered: false }));
        done += batch.length;
        batch = [];
        onProgress(done);
      };
      for (const todo of seed) {
        batch.push({ ...todo, owner, seeded: true });
        if (batch.length === 10_000) await flush();
      }
      if (batch.length > 0) await flush();
    },
  };
}

async function createIndexes(
  client: MongoClient,
  todos: Collection<TodoDocument>,
  users: Collection<UserDocument>,
) {
  await client.connect();
  // Each owner's newest-first order as an index; the index of stage 04 (no owner) would serve no
  // query now, so a database from before accounts loses it. createIndex does nothing when an index
  // with the same keys already exists.
  await todos.createIndex(OWNER_NEWEST_FIRST, { name: "owner_newest_first" });
  if ((await todos.listIndexes().toArray()).some((index) => index["name"] === "newest_first")) {
    await todos.dropIndex("newest_first");
  }
  // usernames arrive lower-cased (accounts.ts), so this is unique whatever the letter case
  await users.createIndex({ username: 1 }, { name: "username_unique", unique: true });
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
