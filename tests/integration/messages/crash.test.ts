/**
 * The worker inside `npm start`: a server killed with SIGKILL while its sends are on the wire
 * loses no committed message, and after a restart each one reaches the gateway once per key. Also
 * what `npm start` says about delivery: the log driver's line, and refused message settings.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../../src/i18n/index.ts';
import { openDatabase, type Db } from '../../../src/lib/db/index.ts';
import { enqueue, KIND_NAMES } from '../../../src/lib/messages/outbox.ts';
import { fakeHttpGateway, type FakeGateway } from '../../helpers/fakeGateways.ts';
import { R } from '../../helpers/fixtures.ts';
import { outboxRows } from '../../helpers/outboxRows.ts';
import { type RunningServer, startServer } from '../../helpers/server.ts';
import { runScript } from '../../helpers/script.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const en = translator('en');

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('delivery in the server process', () => {
  const tmp = tempDir();
  let fake: FakeGateway;
  beforeAll(async () => {
    fake = await fakeHttpGateway('crash-secret');
  });
  afterAll(async () => {
    await fake.close();
    tmp.cleanup();
  });

  // Two starts, and after the restart the jobs lease of the killed worker must expire (up to
  // JOB_LEASE_MS) before the new worker delivers.
  it('after kill -9 mid-send and a restart, delivers every committed message exactly once per key', { timeout: 120_000 }, async () => {
    const env = {
      DATABASE_PATH: tmp.file('crash.sqlite'),
      MEDIA_DIR: tmp.file('media'),
      SMS_DRIVER: 'http',
      SMS_HTTP_URL: `${fake.url}/send`,
      SMS_HTTP_SECRET: 'crash-secret',
      OUTBOX_POLL_MS: '200',
      MESSAGE_SEND_TIMEOUT_MS: '1000',
      MESSAGE_QUIET_HOURS: 'off',
      LANG: 'en',
    };
    // The gateway takes its time: the kill lands while requests wait for their answers.
    fake.delayMs = 800;
    let server: RunningServer = await startServer(env);
    let db: Db | undefined;
    try {
      db = openDatabase(env.DATABASE_PATH);
      const total = 30;
      const write = db.transaction(() => {
        for (let i = 0; i < total; i++) {
          enqueue(db!, {
            event: `crash:${i}`,
            channel: 'sms',
            kind: 'code',
            recipient: `1380000${String(i).padStart(4, '0')}`,
            regionCode: R.county,
            params: { code: String(100000 + i) },
          });
        }
      });
      write();
      await until('the first sends', () => fake.requests.length > 0);
      await server.crash();
      const atCrash = outboxRows(db);
      expect(atCrash.some((r) => r.status === 'sending')).toBe(true);
      expect(atCrash.some((r) => r.status !== 'sent')).toBe(true);

      server = await startServer(env);
      await until('every message sent', () => outboxRows(db!).every((r) => r.status === 'sent'), 60_000);
      const rows = outboxRows(db);
      expect(rows).toHaveLength(total);
      // One delivery per key: the resent requests carried the same id and the gateway knew them.
      expect(fake.delivered.size).toBe(total);
      for (const row of rows) expect(row.providerId, row.idemKey).toBe((fake.delivered.get(row.idemKey) as { id: string }).id);
      expect([...fake.received.values()].some((times) => times > 1)).toBe(true);
      expect(fake.verified).toHaveLength(fake.requests.length);
    } finally {
      db?.close();
      await server.stop();
    }
  });

  it('with no SMS driver set stores messages as sent by `log`, and says so once at start', async () => {
    const env = { DATABASE_PATH: tmp.file('log.sqlite'), MEDIA_DIR: tmp.file('media-log'), OUTBOX_POLL_MS: '200', MESSAGE_QUIET_HOURS: 'off', LANG: 'en' };
    const server = await startServer(env);
    const db = openDatabase(env.DATABASE_PATH);
    try {
      db.transaction(() => enqueue(db, { event: 'log:1', channel: 'sms', kind: 'code', recipient: '13800000000', regionCode: R.county, params: { code: '123456' } }))();
      await until('the message stored as sent', () => outboxRows(db)[0]?.status === 'sent');
      expect(outboxRows(db)[0]).toMatchObject({ providerId: 'log', attempts: 1 });
      expect(server.output().split(en('cli.start.messagesStoredOnly'))).toHaveLength(2);
      expect(server.output()).not.toContain('13800000000');
    } finally {
      db.close();
      await server.stop();
    }
  });

  it.each([
    [{ SMS_TEMPLATES: 'training.promote=SMS_1' }, en('cli.config.unknownKind', { name: 'SMS_TEMPLATES', kind: 'training.promote', kinds: KIND_NAMES.join(', ') })],
    [{ SMS_DRIVER: 'aliyun', ALIYUN_SMS_ACCESS_KEY_ID: 'LTAI' }, en('cli.config.needed', { name: 'ALIYUN_SMS_ACCESS_KEY_SECRET', by: 'SMS_DRIVER=aliyun' })],
    [{ SMTP_URL: 'smtp://u:hunter2@127.0.0.1:25' }, en('cli.config.needed', { name: 'MAIL_FROM', by: 'SMTP_URL' })],
  ])('npm start refuses %j before touching anything, in one line, printing no secret', (settings, message) => {
    const file = tmp.file('refused.sqlite');
    const run = runScript('start', [], { DATABASE_PATH: file, PORT: '4321', ...settings }, 'en_US.UTF-8');
    expect(run.status).toBe(1);
    expect(run.output.trim()).toBe(`xiangxin: ${message}`);
    expect(run.output).not.toContain('hunter2');
    expect(existsSync(file)).toBe(false);
  });
});
