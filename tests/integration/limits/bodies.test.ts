import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { PUBLIC_FORM_BYTES } from '../../../src/lib/http/bodyLimits.ts';
import { childrenOf } from '../../helpers/server.ts';
import { serverTest, type TestServer } from '../../helpers/serverTest.ts';

const MB = 1024 * 1024;
const BIG = 85 * MB;

/** Resident memory of a process, and its peak so far, in MB (Linux). */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)![1]);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/**
 * Posts an 85 MB urlencoded body to /login, with its length declared or chunked, and resolves
 * with the status if one came back (the server may close the connection mid-upload instead).
 */
function bigPost(base: string, declared: boolean): Promise<number | undefined> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    const req = request({
      hostname,
      port,
      path: '/login',
      method: 'POST',
      headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded', ...(declared ? { 'content-length': String(BIG) } : {}) },
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(undefined));
    const chunk = Buffer.alloc(MB, 'x');
    chunk.write('username=');
    let sent = 0;
    const pump = () => {
      while (sent < BIG) {
        sent += MB;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

/**
 * Posts a chunked form (no declared length) and resolves with the answer. The server may answer
 * and close before the last chunk is written: the failed write (EPIPE) is not the outcome, the
 * answer is.
 */
function chunkedPost(base: string, path: string, chunks: string[]): Promise<{ status: number | undefined; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    let answered = false;
    const req = request({ hostname, port, path, method: 'POST', headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' } });
    req.on('response', (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (part: string) => {
        body += part;
      });
      res.on('end', () => resolve({ status: res.statusCode, body }));
      res.on('error', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', () => {
      if (!answered) resolve({ status: undefined, body: '' });
    });
    const pump = (i: number): void => {
      if (i === chunks.length) return void req.end();
      req.write(chunks[i], (error) => {
        if (!error) setImmediate(() => pump(i + 1));
      });
    };
    pump(0);
  });
}

/**
 * Declares a 1 MB form to /login and sends 64 KB of its body in four pieces, 100 ms apart, leaving
 * the server's answer unread meanwhile (paused, as a busy client would); then reads what arrived,
 * or the error. A server that closed on the refusal resets the connection at the next piece, and
 * the failed write destroys the socket with the answer still unread.
 */
async function refusalReadLate(base: string): Promise<string> {
  const { hostname, port } = new URL(base);
  const socket = connect(Number(port), hostname);
  socket.pause();
  let failure = '';
  socket.on('error', (error) => {
    failure = error.message;
  });
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (part: string) => {
    received += part;
  });
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(`POST /login HTTP/1.1\r\nHost: ${hostname}:${port}\r\nOrigin: ${base}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${MB}\r\n\r\nusername=`);
  for (let i = 0; i < 4; i++) {
    await sleep(100);
    if (!socket.destroyed) socket.write('x'.repeat(16 * 1024));
  }
  if (socket.destroyed) return `${received}${failure}`;
  return new Promise((resolve) => {
    socket.on('close', () => resolve(`${received}${failure}`));
    socket.resume();
  });
}

const it = serverTest();

describe('request bodies over their route’s limit', () => {
  let server: TestServer;

  it.beforeAll(async ({ server: started }) => {
    server = started;
  });

  it('answers a sign-in form a few KB too long with a localized 413 and nothing read', async () => {
    const body = new URLSearchParams({ username: 'x'.repeat(PUBLIC_FORM_BYTES), password: 'y' }).toString();
    const res = await fetch(`${server.url}/login`, { method: 'POST', headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(res.status).toBe(413);
    expect(await res.text()).toBe('提交的内容太长（此处最多 8 KB），已被拒绝。请缩短后重试。');
  });

  it('keeps reading a refused body, so a client still sending gets the refusal rather than a reset', async () => {
    const answer = await refusalReadLate(server.url);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain('8 KB');
  });

  it('counts a chunked body (no declared length) as it arrives and refuses it at the limit', async () => {
    const refused = await chunkedPost(server.url, '/trainings/1', ['username=', ...Array.from({ length: 16 }, () => 'x'.repeat(1024))]);
    expect(refused.status).toBe(413);
    expect(refused.body).toContain('8 KB');
    // A chunked form under the limit is read as usual.
    const small = await fetch(`${server.url}/preferences/text-size`, {
      method: 'POST',
      headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new Blob(['size=large']).stream(),
      duplex: 'half',
      redirect: 'manual',
    } as RequestInit);
    expect(small.status).toBe(303);
  });

  it('stays under 300 MB and answering while six declared and six chunked 85 MB anonymous posts arrive at once', { timeout: 120_000 }, async () => {
    const statuses = await Promise.all([...Array.from({ length: 6 }, () => bigPost(server.url, true)), ...Array.from({ length: 6 }, () => bigPost(server.url, false))]);
    // A status, when the client got to read one before the connection closed, is the refusal.
    for (const status of statuses) if (status !== undefined) expect(status).toBe(413);
    // The worker that read the posts: the primary only hands connections over.
    const workers = childrenOf(server.pid);
    expect(workers).toHaveLength(1);
    expect(memory(workers[0]!).peak).toBeLessThan(300);
    const page = await fetch(`${server.url}/login`);
    expect(page.status).toBe(200);
  });
});
