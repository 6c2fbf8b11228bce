// The job that creates an import's users: durable, driven by the user_imports table itself. A worker claims a
// queued import (or one whose lease lapsed: its process died) on the owner connection with FOR UPDATE SKIP
// LOCKED, then works through its pending rows a batch per transaction, as the import's partner: temporary
// passwords generated and hashed, users inserted in one statement, every row's outcome (with its sealed
// password) and the import's counters written in the same transaction. A kill at any moment rolls back at most
// the batch in flight, whose rows are still pending and are done again by whichever worker takes the import
// over; no user is created twice or lost. Each batch first locks the import row and checks the lease is still
// this worker's, so a worker that stalled past its lease stops instead of racing its successor.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Db, Trx } from '../../db/database.ts';
import { inPartnerTransaction } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { hashGeneratedPassword, temporaryPassword } from '../../lib/passwords.ts';
import { seal } from '../../lib/seal.ts';
import type { Actor } from '../activity/activity.record.ts';
import { recordAs } from '../activity/activity.record.ts';
import { insertDirectoryUsers } from '../customerUsers/customerUsers.directory.ts';
import type { WorkerLog } from '../../jobs/polling.loop.ts';
import { createPollingLoop } from '../../jobs/polling.loop.ts';
import * as repo from './userImports.repository.ts';
import { passwordAad } from './userImports.service.ts';

export interface UserImportWorker {
  /** Starts the loop (returns at once). */
  start(): void;
  /** Finishes the batch in flight, hands its import back, and stops. */
  stop(): Promise<void>;
  /** Something was queued: look now rather than at the next poll. */
  poke(): void;
}

export interface UserImportWorkerDeps {
  /** Claims imports of every partner. */
  owner: Db;
  /** Works on them under row-level security, as the import's partner. */
  db: Db;
  clock: Clock;
  settings: { batchSize: number; leaseSeconds: number };
  /** importPasswordsKey(store.ownerUrl). */
  passwordKey: Buffer;
  log: WorkerLog;
  /** How often an idle worker looks for work. */
  pollMs?: number;
}

/** An import whose worker died this many times is given up (a row that kills the process every time). */
const MAX_ATTEMPTS = 10;
const RELATIONSHIP_ENDED =
  'Not created: the reseller relationship with the customer ended before this row was reached.';
const GAVE_UP = 'Not created: the import stopped after failing repeatedly; upload the file again.';
const TAKEN_MEANWHILE =
  'Email: became a user of this customer after the file was checked, so it was not created';

type Outcome = 'more' | 'done' | 'lost';

export function createUserImportWorker(deps: UserImportWorkerDeps): UserImportWorker {
  const { owner, db, clock, settings, passwordKey, log } = deps;
  const pollMs = deps.pollMs ?? 1000;
  const workerId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  const leaseFrom = (now: Date) => new Date(now.getTime() + settings.leaseSeconds * 1000);

  async function finish(
    trx: Trx,
    head: repo.BatchHead,
    state: 'completed' | 'failed',
    error: string | null,
    totals: { created: number; failed: number },
    now: Date,
  ) {
    await repo.finish(trx, head.id, state, error, now);
    const actor: Actor = {
      kind: head.actor_kind as Actor['kind'],
      id: head.actor_id,
      name: head.actor_name,
    };
    await recordAs(trx, head.partner_id, actor, {
      action: 'customerUser.import',
      resourceType: 'UserImport',
      resourceId: head.id,
      customer: { id: head.customer_id, name: head.customer_name ?? '' },
      status: state === 'completed' ? 'succeeded' : 'failed',
      details: {
        fileName: head.file_name,
        usageLocation: head.usage_location,
        totalRows: head.total_rows,
        created: totals.created,
        failed: totals.failed,
        ...(error ? { reason: error } : {}),
      },
    });
    log.info({ importId: head.id, state, ...totals }, 'users import ended');
  }

  /** Fails every row not done yet with `message`, and the import with it. */
  async function giveUp(trx: Trx, head: repo.BatchHead, message: string, now: Date): Promise<Outcome> {
    const failed = await repo.failPendingRows(trx, head.id, message);
    await repo.advance(trx, head.id, { created: 0, failed }, leaseFrom(now), now);
    await finish(
      trx,
      head,
      'failed',
      message,
      { created: head.created_count, failed: head.failed_count + failed },
      now,
    );
    return 'done';
  }

  /** One batch of one import, in one transaction. */
  function batch(claimed: repo.Claimed): Promise<Outcome> {
    return inPartnerTransaction(db, claimed.partner_id, async (trx) => {
      const now = clock.now();
      const head = await repo.lockForBatch(trx, claimed.id);
      if (!head || head.state !== 'running' || head.lease_owner !== workerId) return 'lost';
      if (head.relationship !== 'active') return giveUp(trx, head, RELATIONSHIP_ENDED, now);
      if (claimed.attempts > MAX_ATTEMPTS) return giveUp(trx, head, GAVE_UP, now);

      const rows = await repo.pendingRows(trx, head.id, settings.batchSize);
      let created = 0;
      if (rows.length > 0) {
        const passwords = rows.map(() => temporaryPassword());
        const inserted = await insertDirectoryUsers(
          trx,
          rows.map((r, i) => ({
            customerId: head.customer_id,
            userName: r.user_name,
            firstName: r.first_name,
            lastName: r.last_name,
            displayName: r.display_name,
            usageLocation: head.usage_location,
            passwordHash: hashGeneratedPassword(passwords[i]!),
            mustChangePassword: true,
            // No directory role: "can use licenses and services".
            roles: [],
            importId: head.id,
          })),
          now,
        );
        const ids = new Map(inserted.map((u) => [u.userName, u.id]));
        const outcomes: repo.RowOutcome[] = rows.map((r, i) => {
          const userId = ids.get(r.user_name);
          // A name taken since the file was checked (by another request) was skipped by the insert.
          if (userId === undefined)
            return {
              rowNumber: r.row_number,
              status: 'failed',
              message: TAKEN_MEANWHILE,
              userId: null,
              password: null,
            };
          return {
            rowNumber: r.row_number,
            status: 'created',
            message: null,
            userId,
            password: seal(passwords[i]!, passwordKey, passwordAad(head.id, r.row_number, r.user_name)),
          };
        });
        created = inserted.length;
        await repo.recordOutcomes(trx, head.id, outcomes);
        await repo.advance(
          trx,
          head.id,
          { created, failed: rows.length - created },
          leaseFrom(clock.now()),
          now,
        );
      }
      // A short batch was the last: finish in the same transaction.
      if (rows.length < settings.batchSize) {
        await finish(
          trx,
          head,
          'completed',
          null,
          {
            created: head.created_count + created,
            failed: head.failed_count + rows.length - created,
          },
          now,
        );
        return 'done';
      }
      return 'more';
    });
  }

  async function work(claimed: repo.Claimed, isRunning: () => boolean): Promise<void> {
    log.info({ importId: claimed.id, attempt: claimed.attempts }, 'users import started');
    for (;;) {
      if (!isRunning()) {
        await repo.releaseLease(owner, claimed.id, workerId);
        return;
      }
      if ((await batch(claimed)) !== 'more') return;
    }
  }

  /** One round: claim an import (if any) and work it to its end, or until stopped. */
  async function round(isRunning: () => boolean): Promise<boolean> {
    const now = clock.now();
    const claimed = await repo.claimImport(owner, workerId, now, leaseFrom(now));
    if (!claimed) return false;
    await work(claimed, isRunning);
    return true;
  }

  const loop = createPollingLoop({ pollMs, log, name: 'users import worker', round });
  return { start: loop.start, stop: loop.stop, poke: loop.poke };
}
