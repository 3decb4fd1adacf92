import { expect } from "vitest";

export interface Todo {
  id: string;
  content: string;
  created_at: number;
  is_finished: boolean;
  finished_at: number | null;
}

export function expectTodo(value: unknown): asserts value is Todo {
  expect(value).toEqual({
    id: expect.any(String),
    content: expect.any(String),
    created_at: expect.any(Number),
    is_finished: expect.any(Boolean),
    finished_at: (value as Todo).is_finished ? expect.any(Number) : null,
  });
}

/** The order every list promises: newest first, ties on created_at broken by id (descending). */
export function expectNewestFirst(todos: Todo[]) {
  for (let i = 1; i < todos.length; i++) {
    const [a, b] = [todos[i - 1]!, todos[i]!];
    const inOrder = a.created_at > b.created_at || (a.created_at === b.created_at && a.id > b.id);
    expect(
      inOrder,
      `todo ${i - 1} (${a.id}, ${a.created_at}) should come before ${b.id} (${b.created_at})`,
    ).toBe(true);
  }
}

/** A 4xx/5xx answer in the API's one error shape: JSON, the status repeated, a message for a person. */
export async function expectError(res: Response, status: number, message?: RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await res.json()) as { error: { status: number; message: string } };
  expect(body).toEqual({ error: { status, message: expect.any(String) } });
  expect(body.error.message.length).toBeGreaterThan(3);
  expect(body.error.message).not.toMatch(/\n\s+at /);
  if (message) expect(body.error.message).toMatch(message);
  return body.error;
}
