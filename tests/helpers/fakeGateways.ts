/**
 * Fake message gateways on 127.0.0.1 for the tests: Alibaba Cloud SMS, Tencent Cloud SMS, a
 * county's HTTP gateway, 企业微信 and DingTalk robots, and a real SMTP server (smtp-server). Each
 * records what it received, checks the request's signature the way the real service does, and
 * can be told to fail the next requests (HTTP 500, no answer at all, a provider error code) or to
 * answer slowly. The SMS fakes keep one delivery per out-id: a repeat is answered with the first
 * answer and not delivered again, as a provider's idempotency would.
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { dingtalkSign } from '../../src/lib/messages/drivers/robots.ts';
import { httpSignature } from '../../src/lib/messages/drivers/http.ts';

/** What to do with the next request instead of answering it normally. */
export type Failure = 'http500' | 'hang' | { code: string; message?: string };

export interface ReceivedRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
  /** The signature (or, for unsigned protocols, the request's form) checked out. */
  verified: boolean;
}

/** What the fake makes of a request whose signature checked out. */
interface Handled {
  /** The message's out-id, for the SMS fakes' idempotency; absent for robots. */
  outId?: string;
  /** The answer of a successful delivery. */
  ok: () => unknown;
  /** The answer when a provider error code was asked for. */
  error: (code: string, message: string) => unknown;
}

export class FakeGateway {
  url = '';
  readonly requests: ReceivedRequest[] = [];
  /** Out-id → the answer of its one delivery. */
  readonly delivered = new Map<string, unknown>();
  /** Out-id → every request that carried it (repeats included). */
  readonly received = new Map<string, number>();
  /** Milliseconds to wait before answering (the request counts as delivered on arrival). */
  delayMs = 0;
  readonly #failures: Failure[] = [];
  readonly #server: Server;
  readonly #handle: (req: ReceivedRequest) => Handled | undefined;
  readonly #bad: () => unknown;

  constructor(handle: (req: ReceivedRequest) => Handled | undefined, bad: () => unknown) {
    this.#handle = handle;
    this.#bad = bad;
    this.#server = createServer((req, res) => void this.#serve(req, res));
  }

  /** On `port`, or on a free one (0). */
  async listen(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', resolve);
    });
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  /** The next requests fail, one failure each, in order. */
  failNext(...failures: Failure[]): void {
    this.#failures.push(...failures);
  }

  /** Requests whose signature checked out. */
  get verified(): ReceivedRequest[] {
    return this.requests.filter((r) => r.verified);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const received: ReceivedRequest = {
      method: req.method ?? '',
      url: new URL(req.url ?? '/', this.url),
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      verified: false,
    };
    this.requests.push(received);
    let handled: Handled | undefined;
    try {
      handled = this.#handle(received);
    } catch {
      handled = undefined;
    }
    received.verified = handled !== undefined;
    const failure = this.#failures.shift();
    if (failure === 'hang') return;
    if (failure === 'http500') return void res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
    let answer: unknown;
    if (!handled) answer = this.#bad();
    else if (failure) answer = handled.error(failure.code, failure.message ?? failure.code);
    else if (handled.outId === undefined) answer = handled.ok();
    else {
      this.received.set(handled.outId, (this.received.get(handled.outId) ?? 0) + 1);
      if (!this.delivered.has(handled.outId)) this.delivered.set(handled.outId, handled.ok());
      answer = this.delivered.get(handled.outId);
    }
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest();

/** Alibaba Cloud's percent-encoding of signed query values. */
function acsEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Checks an ACS3-HMAC-SHA256 signed request (Alibaba Cloud's V3 signature). */
function aliyunVerified(req: ReceivedRequest, accessKeyId: string, secret: string): boolean {
  const match = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]+)$/.exec(String(req.headers.authorization ?? ''));
  if (!match || match[1] !== accessKeyId) return false;
  const payloadHash = sha256(req.body);
  if (req.headers['x-acs-content-sha256'] !== payloadHash) return false;
  const query = [...req.url.searchParams.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${acsEncode(v)}`)
    .join('&');
  const signed = match[2]!.split(';');
  if (!signed.includes('host') || !signed.includes('x-acs-date')) return false;
  const headers = signed.map((name) => `${name}:${String(req.headers[name] ?? '').trim()}\n`).join('');
  const canonical = [req.method, req.url.pathname, query, headers, signed.join(';'), payloadHash].join('\n');
  return hmac(secret, `ACS3-HMAC-SHA256\n${sha256(canonical)}`).toString('hex') === match[3];
}

export interface FakeCredentials {
  id: string;
  secret: string;
}

/** Alibaba Cloud SMS: SendSms with OutId; `failNext({ code: 'isv.BUSINESS_LIMIT_CONTROL' })` answers like its rate limit. */
export async function fakeAliyun(credentials: FakeCredentials = { id: 'LTAItest', secret: 'aliyun-secret' }): Promise<FakeGateway> {
  let n = 0;
  const requestId = () => `REQ-${++n}`;
  return new FakeGateway(
    (req) => {
      if (!aliyunVerified(req, credentials.id, credentials.secret) || req.headers['x-acs-action'] !== 'SendSms') return undefined;
      const outId = req.url.searchParams.get('OutId') ?? '';
      return {
        outId,
        ok: () => ({ Code: 'OK', Message: 'OK', BizId: `${100000 + n}^0`, RequestId: requestId() }),
        error: (code, message) => ({ Code: code, Message: message, RequestId: requestId() }),
      };
    },
    () => ({ Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched with our calculation.', RequestId: requestId() }),
  ).listen();
}

/** Checks a TC3-HMAC-SHA256 signed request (Tencent Cloud API 3.0). */
function tencentVerified(req: ReceivedRequest, secretId: string, secretKey: string): boolean {
  const match = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(
    String(req.headers.authorization ?? ''),
  );
  if (!match || match[1] !== secretId) return false;
  const [, , date, service, signedHeaders, signature] = match;
  const timestamp = String(req.headers['x-tc-timestamp'] ?? '');
  if (new Date(Number(timestamp) * 1000).toISOString().slice(0, 10) !== date) return false;
  const headers = signedHeaders!
    .split(';')
    .map((name) => `${name}:${name === 'host' ? req.url.hostname : String(req.headers[name] ?? '')}\n`)
    .join('');
  const canonical = [req.method, req.url.pathname, req.url.search.slice(1), headers, signedHeaders, sha256(req.body)].join('\n');
  const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/${service}/tc3_request\n${sha256(canonical)}`;
  const key = hmac(hmac(hmac(`TC3${secretKey}`, date!), service!), 'tc3_request');
  return hmac(key, toSign).toString('hex') === signature;
}

/** Tencent Cloud SMS: SendSms with SessionContext; a provider error code is the number's SendStatus Code. */
export async function fakeTencent(credentials: FakeCredentials = { id: 'AKIDtest', secret: 'tencent-secret' }): Promise<FakeGateway> {
  let n = 0;
  return new FakeGateway(
    (req) => {
      if (!tencentVerified(req, credentials.id, credentials.secret) || req.headers['x-tc-action'] !== 'SendSms') return undefined;
      const body = JSON.parse(req.body) as { PhoneNumberSet: string[]; SessionContext?: string };
      const status = (code: string, message: string, serial: string) => ({
        SerialNo: serial,
        PhoneNumber: body.PhoneNumberSet[0],
        Fee: code === 'Ok' ? 1 : 0,
        SessionContext: body.SessionContext ?? '',
        Code: code,
        Message: message,
        IsoCode: 'CN',
      });
      return {
        outId: body.SessionContext ?? '',
        ok: () => ({ Response: { SendStatusSet: [status('Ok', 'send success', `2433:${++n}`)], RequestId: `req-${n}` } }),
        error: (code, message) => ({ Response: { SendStatusSet: [status(code, message, '')], RequestId: `req-${++n}` } }),
      };
    },
    () => ({ Response: { Error: { Code: 'AuthFailure.SignatureFailure', Message: 'The provided credentials could not be validated.' }, RequestId: `req-${++n}` } }),
  ).listen();
}

/**
 * A county's gateway speaking the http driver's contract (docs/MESSAGES.md); out-id is the body's
 * `id`. A fixed `port` suits a server started before the test (Playwright's webServer).
 */
export async function fakeHttpGateway(secret = 'http-secret', port = 0): Promise<FakeGateway> {
  let n = 0;
  return new FakeGateway(
    (req) => {
      const timestamp = String(req.headers['x-xiangxin-timestamp'] ?? '');
      const signature = httpSignature(secret, timestamp, req.body);
      if (req.method !== 'POST' || !/^application\/json/.test(String(req.headers['content-type'])) || req.headers['x-xiangxin-signature'] !== signature) return undefined;
      const body = JSON.parse(req.body) as { id: string };
      return { outId: body.id, ok: () => ({ id: `gw-${++n}` }), error: (code, message) => ({ error: code, message }) };
    },
    () => ({ error: 'bad signature' }),
  ).listen(port);
}

/** One message as the http gateway received it (the driver's contract). */
export interface GatewayMessage {
  id: string;
  to: string;
  kind: string;
  template: string | null;
  params: Record<string, string>;
  text: string;
}

/** The messages the http fake took for a phone, oldest first, each key once (a subscription test reads its code here). */
export function messagesTo(fake: FakeGateway, phone: string): GatewayMessage[] {
  const seen = new Set<string>();
  const found: GatewayMessage[] = [];
  for (const request of fake.verified) {
    const message = JSON.parse(request.body) as GatewayMessage;
    if (message.to !== phone || seen.has(message.id)) continue;
    seen.add(message.id);
    found.push(message);
  }
  return found;
}

/** 企业微信 group robot: a JSON text message, answered with errcode 0. */
export async function fakeWecom(): Promise<FakeGateway> {
  return new FakeGateway(
    (req) => {
      const body = JSON.parse(req.body) as { msgtype?: string; text?: { content?: string } };
      if (req.method !== 'POST' || body.msgtype !== 'text' || typeof body.text?.content !== 'string') return undefined;
      return { ok: () => ({ errcode: 0, errmsg: 'ok' }), error: (code, message) => ({ errcode: Number(code) || 45009, errmsg: message }) };
    },
    () => ({ errcode: 40008, errmsg: 'invalid message type' }),
  ).listen();
}

/** DingTalk robot with its signing secret: `timestamp` and `sign` in the query, checked. */
export async function fakeDingtalk(secret = 'SECdingtalk'): Promise<FakeGateway> {
  return new FakeGateway(
    (req) => {
      const timestamp = req.url.searchParams.get('timestamp') ?? '';
      const body = JSON.parse(req.body) as { msgtype?: string; text?: { content?: string } };
      if (req.url.searchParams.get('sign') !== dingtalkSign(secret, timestamp) || body.msgtype !== 'text' || typeof body.text?.content !== 'string') return undefined;
      return { ok: () => ({ errcode: 0, errmsg: 'ok' }), error: (code, message) => ({ errcode: Number(code) || 130101, errmsg: message }) };
    },
    () => ({ errcode: 310000, errmsg: 'sign not match' }),
  ).listen();
}

export interface ReceivedMail {
  from: string;
  to: string[];
  data: string;
}

export interface FakeSmtp {
  /** `smtp://USER:PASS@127.0.0.1:PORT` for SMTP_URL. */
  url: string;
  mails: ReceivedMail[];
  close: () => Promise<void>;
}

/** A real SMTP server (smtp-server) that takes mail from one user and keeps it. */
export async function fakeSmtp(user = 'xiangxin', pass = 'mail-secret'): Promise<FakeSmtp> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    // Plain text on 127.0.0.1: no certificate to trust in a test.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === pass) callback(null, { user });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${user}:${pass}@127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
