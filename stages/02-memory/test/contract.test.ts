import { describeTodoApi, inProcess, overHttp } from "@zero-to-one/contract";
import { startServer, type ServerProcess } from "@zero-to-one/test-kit";
import { afterAll, expect } from "vitest";
import { createApp } from "../src/app.js";
import { createTodoList } from "../src/todos.js";

describeTodoApi("02-memory in-process", {
  level: 2,
  connect: () => inProcess(createApp({ todos: createTodoList() })),
});

let server: ServerProcess | undefined;
describeTodoApi("02-memory over HTTP", {
  level: 2,
  connect: async () => {
    server = await startServer({ cwd: new URL("..", import.meta.url).pathname });
    return overHttp(server.url);
  },
});
afterAll(async () => {
  expect(await server?.stop()).toBe(0);
});
