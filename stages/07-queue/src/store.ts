// PROVISIONAL: replaced by the copy of the newest committed stage's store.
export interface Todo {
  id: string;
  content: string;
  created_at: number;
  is_finished: boolean;
  finished_at: number | null;
}
export interface Cursor {
  created_at: number;
  id: string;
}
export interface TodoStore {
  readonly kind: "sqlite" | "mongo";
  list(page: { start: number; limit: number }): Promise<Todo[]>;
  listBefore(cursor: Cursor | null, limit: number): Promise<Todo[]>;
  get(id: string): Promise<Todo | undefined>;
  add(content: string): Promise<Todo>;
  finish(id: string): Promise<Todo | undefined>;
  remove(id: string): Promise<boolean>;
  count(): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
