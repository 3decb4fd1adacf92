import type { SeedTodo } from "./store.js";

/**
 * `count` made-up todos, one second apart and ending at `newest`, oldest first — the order in
 * which real todos arrive, so the rows sit on disk as they would after months of use. Their
 * created_at values are distinct, so the newest-first order means something. Every third one
 * is finished.
 */
export function* seededTodos(count: number, newest: number): Generator<SeedTodo> {
  for (let n = 1; n <= count; n++) {
    const created_at = newest - (count - n);
    const finished = n % 3 === 0;
    yield {
      content: `seeded todo ${n} of ${count}`,
      created_at,
      is_finished: finished,
      finished_at: finished ? created_at + 60 : null,
    };
  }
}
