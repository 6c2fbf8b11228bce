// /healthz and /readyz as a load balancer sees them: ready only while the database answers and is migrated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.ts';
import { createTestApp } from './helpers/app.ts';

describe('health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url });

  it('is live and ready on a migrated store, with no sign-in', async () => {
    expect((await get('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await get('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });

  it('is not ready while a migration is pending, and ready again once it has run', async () => {
    const applied = await t.store.owner
      .selectFrom('kysely_migration' as never)
      .selectAll()
      .execute();
    await t.store.owner.deleteFrom('kysely_migration' as never).execute();
    const pending = await get('/readyz');
    expect(pending.statusCode).toBe(503);
    expect(pending.json()).toEqual({ status: 'unavailable', reason: 'migrations pending' });
    expect((await get('/healthz')).statusCode).toBe(200);
    await t.store.owner
      .insertInto('kysely_migration' as never)
      .values(applied as never)
      .execute();
    expect((await get('/readyz')).statusCode).toBe(200);
  });

  it('is not ready when the database cannot be reached', async () => {
    const other = await createTestApp();
    await other.store.owner.destroy();
    const r = await other.app.inject({ method: 'GET', url: '/readyz' });
    expect(r.statusCode).toBe(503);
    expect(r.json()).toEqual({ status: 'unavailable', reason: 'database unreachable' });
    await other.close(); // drops its database too
  });
});
