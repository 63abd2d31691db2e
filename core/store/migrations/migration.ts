// A schema migration: a numbered, forward-only step. Never edit one that has shipped; add the
// next number instead.

export interface Migration {
  version: number;
  name: string;
  sql: string;
}
