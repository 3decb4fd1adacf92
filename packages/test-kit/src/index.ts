export { freePort } from "./ports.js";
export { startServer } from "./server-process.js";
export type { ServerProcess, StartOptions } from "./server-process.js";
export { startTestRedis } from "./redis.js";
export type { RedisOrReason, TestRedis } from "./redis.js";
export { MONGO_SKIPPED, startTestMongo } from "./mongo.js";
export type { MongoOrReason, TestMongo } from "./mongo.js";
