import type { SeedTodo } from "./store.js";

/**
 * `count` made-up todos, newest first, one second apart going back from `newest`: distinct
 * created_at values, so the newest-first order means something. Every third one is finished.
 */
export function* seededTodos(count: number, newest: number): Generator<SeedTodo> {
  for (let i = 0; i < count; i++) {
    const created_at = newest - i;
    const finished = i % 3 === 2;
    yield {
      content: `seeded todo ${count - i} of ${count}`,
      created_at,
      is_finished: finished,
      finished_at: finished ? created_at + 60 : null,
    };
  }
}
