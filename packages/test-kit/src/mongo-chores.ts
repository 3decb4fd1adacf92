/** What the MongoDB suites use of a stage's MongoClient class. */
interface MongoClientLike<Todos> {
  connect(): Promise<MongoClientLike<Todos>>;
  db(dbName?: string): { dropDatabase(): Promise<unknown>; collection(name: string): Todos };
  close(): Promise<void>;
}

/**
 * The MongoDB suites' chores, done through the stage's own driver: dropping a test database, and
 * the `todos` collection at a URL with a database in its path.
 */
export function mongoChores<Todos>(MongoClient: new (url: string) => MongoClientLike<Todos>) {
  return {
    dropDatabase: async (url: string, dbName: string) => {
      const client = await new MongoClient(url).connect();
      await client.db(dbName).dropDatabase();
      await client.close();
    },
    collection: async (url: string) => {
      const client = await new MongoClient(url).connect();
      return { todos: client.db().collection("todos"), close: () => client.close() };
    },
  };
}
