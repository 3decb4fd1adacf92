export { inProcess, overHttp } from "./client.js";
export type { ApiClient } from "./client.js";
export { signUpAndIn, TEST_PASSWORD, withHeaders } from "./sign-in.js";
export type { SignIn } from "./sign-in.js";
export { describeTodoApi } from "./todo-api.js";
export type { ApiLevel, ContractOptions } from "./todo-api.js";
export { expectError, expectNewestFirst, expectTodo } from "./todo-shape.js";
export type { Todo } from "./todo-shape.js";
export { describeTodoStore } from "./todo-store.js";
export type { StoreContractOptions, StoreCursor, TodoStoreLike } from "./todo-store.js";
export { describeBehindNginx } from "./behind-nginx.js";
export type { BehindNginxOptions } from "./behind-nginx.js";
export { describeClusterLifecycle } from "./cluster-lifecycle.js";
export type { ClusterLifecycleOptions } from "./cluster-lifecycle.js";
export { describeClusterStartUp } from "./cluster-start-up.js";
export type { ClusterStartUpOptions } from "./cluster-start-up.js";
export { describeServerProcess } from "./server-process.js";
export type { ServerProcessOptions } from "./server-process.js";
export { describeSqliteFile } from "./sqlite-file.js";
export type { SqliteFileOptions, SqlitePlans, SqliteStoreLike } from "./sqlite-file.js";
export { afterWrite, describeFirstPageCache } from "./first-page-cache.js";
export { describeDeadline } from "./deadline.js";
export type {
  FirstPageCacheLike,
  FirstPageCacheOptions,
  FirstPageCacheSettings,
  Served,
} from "./first-page-cache.js";
export { describeNotFoundCache } from "./not-found-cache.js";
export type {
  NotFoundCacheLike,
  NotFoundCacheOptions,
  NotFoundCacheSettings,
  NotFoundWorker,
} from "./not-found-cache.js";
export { describeCachedFirstPage } from "./cached-first-page.js";
export type { CachedFirstPageOptions, CacheWorker, CountingStore } from "./cached-first-page.js";
export { describeClusterCache } from "./cluster-cache.js";
export type { ClusterCacheOptions } from "./cluster-cache.js";
export { describeOnMongo, withDatabase } from "./on-mongo.js";
export type { OnMongoOptions } from "./on-mongo.js";
export { describeMongoExplain } from "./mongo-explain.js";
export type { MongoExplainOptions, PlanLike } from "./mongo-explain.js";
export { describePlanSummary } from "./plan-summary.js";
export type { PlanSummaryOptions } from "./plan-summary.js";
export { describeKeysetPaging } from "./keyset-paging.js";
export type { KeysetPagingOptions } from "./keyset-paging.js";
export { describeClientAddress } from "./client-address.js";
export type { ClientAddressOptions } from "./client-address.js";
export { describeTodoApiOverHttp } from "./todo-api-over-http.js";
export type { TodoApiOverHttpOptions } from "./todo-api-over-http.js";
