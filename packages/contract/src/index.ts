export { inProcess, overHttp } from "./client.js";
export type { ApiClient } from "./client.js";
export { describeTodoApi } from "./todo-api.js";
export type { ApiLevel, ContractOptions } from "./todo-api.js";
export { expectError, expectNewestFirst, expectTodo } from "./todo-shape.js";
export type { Todo } from "./todo-shape.js";
export { describeTodoStore } from "./todo-store.js";
export type { StoreContractOptions, StoreCursor, TodoStoreLike } from "./todo-store.js";
