import { describe, expect, it } from "vitest";
import { createTodoList, newestFirst, type Todo } from "../src/todos.js";

describe("the in-memory todo list", () => {
  it("orders ties on created_at by id, so a list never wobbles between calls", () => {
    const at = 1_700_000_000;
    const todo = (id: string): Todo => ({
      id,
      content: id,
      created_at: at,
      is_finished: false,
      finished_at: null,
    });
    const sorted = [todo("b"), todo("c"), todo("a")].sort(newestFirst).map((t) => t.id);
    expect(sorted).toEqual(["c", "b", "a"]);
  });

  it("forgets everything when a new list is made, which is why stage 03 adds a database", () => {
    const first = createTodoList();
    first.add("written before a restart");
    expect(first.size).toBe(1);
    expect(createTodoList().all()).toEqual([]);
  });
});
