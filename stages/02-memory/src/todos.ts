import { randomUUID } from "node:crypto";

export interface Todo {
  id: string;
  content: string;
  /** epoch seconds, as the article's `time()` */
  created_at: number;
  is_finished: boolean;
  finished_at: number | null;
}

const now = () => Date.now() / 1000;

/** Newest first; two todos created in the same millisecond are ordered by id, so the order never wobbles. */
export const newestFirst = (a: Todo, b: Todo) =>
  b.created_at - a.created_at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** The article's `todos = {}`: every todo lives in this process's memory and dies with it. */
export function createTodoList() {
  const todos = new Map<string, Todo>();

  return {
    all: (): Todo[] => [...todos.values()].sort(newestFirst),

    get: (id: string): Todo | undefined => todos.get(id),

    add(content: string): Todo {
      const todo: Todo = {
        id: randomUUID(),
        content,
        created_at: now(),
        is_finished: false,
        finished_at: null,
      };
      todos.set(todo.id, todo);
      return todo;
    },

    /** Idempotent: finishing twice keeps the first `finished_at`. */
    finish(id: string): Todo | undefined {
      const todo = todos.get(id);
      if (todo && !todo.is_finished) {
        todo.is_finished = true;
        todo.finished_at = now();
      }
      return todo;
    },

    remove: (id: string): boolean => todos.delete(id),

    get size() {
      return todos.size;
    },
  };
}

export type TodoList = ReturnType<typeof createTodoList>;
