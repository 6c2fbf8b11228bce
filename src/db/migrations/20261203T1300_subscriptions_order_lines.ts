// An order keeps its line items as they were ordered (offer, quantity, friendly name, term, cycle, parent):
// the subscriptions it made change afterwards (quantity, nickname), and the order must still say what was
// bought.
//
// Frozen: never edit after it has shipped; add a new migration instead.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
    alter table orders add column line_items jsonb not null default '[]'
      check (jsonb_typeof(line_items) = 'array');
  `,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Partnerdesk migrations are forward-only.');
}
