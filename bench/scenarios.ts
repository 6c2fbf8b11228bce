// Each scenario: the Partnerdesk request, and the baseline handler doing the same SQL bare.
import type { RouteHandlerMethod } from 'fastify';
import type pg from 'pg';
import type { BenchData } from './generate.ts';

export interface Scenario {
  name: string;
  method: 'GET' | 'POST' | 'PATCH';
  baselinePath: string;
  request(data: BenchData): { path: string; headers: Record<string, string>; body?: string };
  baseline(pool: pg.Pool, data: BenchData): RouteHandlerMethod;
}

const auth = (d: BenchData) => ({ authorization: `Bearer ${d.token}` });

export const scenarios: Scenario[] = [
  {
    name: 'signed-in profile (GET /v1/profiles/me)',
    method: 'GET',
    baselinePath: '/bare/me',
    request: (d) => ({ path: '/v1/profiles/me', headers: auth(d) }),
    baseline: (pool, d) => async () => {
      const r = await pool.query(
        `select u.id, u.user_name, u.display_name, u.roles, p.name, p.instance
           from partner_users u join partners p on p.id = u.partner_id where u.id = $1`,
        [d.userId],
      );
      return r.rows[0];
    },
  },
  {
    name: 'partner users, first page of 100 (GET /v1/partnerusers)',
    method: 'GET',
    baselinePath: '/bare/users',
    request: (d) => ({ path: '/v1/partnerusers?size=100', headers: auth(d) }),
    baseline: (pool, d) => async () => {
      const [rows, count] = await Promise.all([
        pool.query(
          `select id, user_name, display_name, roles, state, created_at from partner_users
            where partner_id = $1 order by created_at, id limit 101`,
          [d.partnerId],
        ),
        pool.query(`select count(*) from partner_users where partner_id = $1`, [d.partnerId]),
      ]);
      return { items: rows.rows.slice(0, 100), totalCount: Number(count.rows[0].count) };
    },
  },
  {
    name: 'activity log, first page of 100 (GET /v1/auditrecords)',
    method: 'GET',
    baselinePath: '/bare/activity',
    request: (d) => ({ path: '/v1/auditrecords?size=100', headers: auth(d) }),
    baseline: (pool, d) => async () => {
      const [rows, count] = await Promise.all([
        pool.query(
          `select * from activity_records where partner_id = $1 and occurred_at >= now() - interval '1 month'
            order by occurred_at desc, id desc limit 101`,
          [d.partnerId],
        ),
        pool.query(
          `select count(*) from activity_records where partner_id = $1 and occurred_at >= now() - interval '1 month'`,
          [d.partnerId],
        ),
      ]);
      return { items: rows.rows.slice(0, 100), totalCount: Number(count.rows[0].count) };
    },
  },
];
