/**
 * Farmers subscribe by phone, without an account (issue 17): a six-digit code by SMS confirms the
 * phone, the topics are saved then, and every message carries a short link that ends it. Answers
 * never tell whether a phone is subscribed.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { UserError } from '../errors.ts';
import { consume } from '../limits/index.ts';
import { enqueue } from '../messages/outbox.ts';
import { getCommodity, listCommodities } from '../prices/reference.ts';
import type { Commodity } from '../prices/types.ts';
import { childRegions, cityRegion, getRegion, type Region } from '../regions/index.ts';
import { siteUrl } from '../site.ts';
import { type CodePurpose, issueCode, verifyCode } from './codes.ts';
import { type Choice, confirmSchema, manageCodeSchema, manageRequestSchema, PLAIN_TOPICS, type PlainTopic, requestSchema } from './schemas.ts';

export { PLAIN_TOPICS, type PlainTopic } from './schemas.ts';

export type Topic = PlainTopic | 'price';

/** Letters and digits that cannot be mistaken for each other when a link is typed off a phone. */
const TOKEN_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789';
export const TOKEN_LENGTH = 10;
export const TOKEN_PATTERN = /^[A-Za-z0-9]{10,40}$/;

function newToken(): string {
  let token = '';
  for (let i = 0; i < TOKEN_LENGTH; i++) token += TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)];
  return token;
}

/** The short link every message to a subscriber ends with. */
export function unsubLink(token: string): string {
  return `${siteUrl()}/u/${token}`;
}

/** The fields of a subscription form as the schemas take them: checkboxes repeat their name. */
export function readSubscriptionForm(form: FormData): Record<string, unknown> {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' ? value : '';
  };
  const all = (name: string) => form.getAll(name).filter((v): v is string => typeof v === 'string');
  return { phone: text('phone'), code: text('code'), villageCode: text('villageCode'), topics: all('topic'), commodities: all('commodity') };
}

function checkChoice(db: Db, choice: Choice): void {
  if (getRegion(db, choice.villageCode)?.level !== 'village') throw new UserError('validation.subscription.village', 400, 'villageCode');
  for (const id of choice.commodities) if (!getCommodity(db, id)) throw new UserError('validation.subscription.commodity', 400, 'commodities');
}

/** Counts a code for this phone, whoever asks; over the limit the answer is 429 and nothing is stored. */
async function countCodeFor(phone: string): Promise<void> {
  if ((await consume(`phone:${phone}`, ['phone'])) !== undefined) throw new UserError('validation.subscription.tooMany', 429, 'phone');
}

function queueCode(db: Db, phone: string, purpose: CodePurpose, regionCode: string, now: number): void {
  db.transaction(() => {
    const code = issueCode(db, phone, purpose, now);
    enqueue(db, { event: `code:${purpose}:${randomUUID()}`, channel: 'sms', kind: 'code', recipient: phone, regionCode, params: { code }, urgent: true }, now);
  }).immediate();
}

/**
 * Step one of subscribing: checks the choice and queues a code to the phone. The same for a phone
 * already subscribed (confirming then replaces its choice), so the answer tells nothing.
 */
export async function requestSubscribeCode(db: Db, raw: unknown, now = Date.now()): Promise<Choice & { phone: string }> {
  const input = requestSchema.parse(raw);
  checkChoice(db, input);
  await countCodeFor(input.phone);
  queueCode(db, input.phone, 'subscribe', input.villageCode, now);
  return input;
}

function saveTopics(db: Db, subscriberId: number, choice: Choice): void {
  stmt(db, 'DELETE FROM subscriber_topics WHERE subscriber_id = ?').run(subscriberId);
  const insert = 'INSERT OR IGNORE INTO subscriber_topics (subscriber_id, topic, commodity_id) VALUES (?, ?, ?)';
  for (const topic of choice.topics) stmt(db, insert).run(subscriberId, topic, 0);
  for (const id of choice.commodities) stmt(db, insert).run(subscriberId, 'price', id);
}

function freeToken(db: Db): string {
  let token = newToken();
  while (one(db, 'SELECT 1 AS taken FROM subscribers WHERE token = ?', token)) token = newToken();
  return token;
}

function refuseCheck(check: 'wrong' | 'expired'): never {
  throw new UserError(check === 'wrong' ? 'validation.subscription.codeWrong' : 'validation.subscription.codeExpired', 400, 'code');
}

/** Step two: the right code makes the subscription active with the choice posted now. */
export function confirmSubscription(db: Db, raw: unknown, now = Date.now()): void {
  const input = confirmSchema.parse(raw);
  checkChoice(db, input);
  const check = db.transaction(() => {
    const result = verifyCode(db, input.phone, 'subscribe', input.code, { now, consume: true });
    if (result !== 'ok') return result;
    const existing = one<{ id: number }>(db, 'SELECT id FROM subscribers WHERE phone = ?', input.phone);
    let id = existing?.id;
    if (id === undefined) {
      const { lastInsertRowid } = stmt(
        db,
        `INSERT INTO subscribers (phone, village_code, token, status, confirmed_at, created_at, updated_at) VALUES (?, ?, ?, 'active', ?, ?, ?)`,
      ).run(input.phone, input.villageCode, freeToken(db), now, now, now);
      id = Number(lastInsertRowid);
    } else {
      stmt(db, `UPDATE subscribers SET village_code = ?, status = 'active', confirmed_at = ?, ended_at = NULL, updated_at = ? WHERE id = ?`).run(input.villageCode, now, now, id);
    }
    saveTopics(db, id, input);
    return result;
  }).immediate();
  if (check !== 'ok') refuseCheck(check);
}

/** Managing starts with the phone: a code goes only to an active subscription, the answer is the same either way. */
export async function requestManageCode(db: Db, raw: unknown, now = Date.now()): Promise<string> {
  const { phone } = manageRequestSchema.parse(raw);
  await countCodeFor(phone);
  const subscriber = one<{ villageCode: string }>(db, `SELECT village_code AS villageCode FROM subscribers WHERE phone = ? AND status = 'active'`, phone);
  if (subscriber) queueCode(db, phone, 'manage', subscriber.villageCode, now);
  return phone;
}

export interface SubscriptionView {
  phone: string;
  villageCode: string;
  topics: PlainTopic[];
  commodities: number[];
}

function activeByPhone(db: Db, phone: string): { id: number; villageCode: string } | undefined {
  return one<{ id: number; villageCode: string }>(db, `SELECT id, village_code AS villageCode FROM subscribers WHERE phone = ? AND status = 'active'`, phone);
}

function topicsOf(db: Db, subscriberId: number): { topics: PlainTopic[]; commodities: number[] } {
  const rows = many<{ topic: Topic; commodityId: number }>(db, 'SELECT topic, commodity_id AS commodityId FROM subscriber_topics WHERE subscriber_id = ?', subscriberId);
  const topics = PLAIN_TOPICS.filter((t) => rows.some((r) => r.topic === t));
  return { topics, commodities: rows.filter((r) => r.topic === 'price').map((r) => r.commodityId) };
}

/**
 * Checks a manage code (a wrong one counts) and finds the active subscription it opens. With
 * `apply`, the code is used up and the change made in the same transaction.
 */
function openWithCode(db: Db, raw: unknown, now: number, apply?: (id: number) => void): { id: number; phone: string; villageCode: string } {
  const { phone, code } = manageCodeSchema.parse(raw);
  const result = db.transaction(() => {
    const check = verifyCode(db, phone, 'manage', code, { now, consume: apply !== undefined });
    if (check !== 'ok') return check;
    const subscriber = activeByPhone(db, phone);
    if (subscriber) apply?.(subscriber.id);
    return subscriber;
  }).immediate();
  if (result === 'wrong' || result === 'expired') refuseCheck(result);
  // A code is only sent to an active subscription; one ended since is as good as no code.
  if (!result) refuseCheck('expired');
  return { ...result, phone };
}

/** The current choice, shown after the manage code was entered; the code stays valid for the save. */
export function openSubscription(db: Db, raw: unknown, now = Date.now()): SubscriptionView {
  const { id, phone, villageCode } = openWithCode(db, raw, now);
  return { phone, villageCode, ...topicsOf(db, id) };
}

/** Saves a changed choice (village, topics) with the manage code, which is used up. */
export function changeSubscription(db: Db, raw: unknown, now = Date.now()): void {
  const choice = confirmSchema.parse(raw);
  checkChoice(db, choice);
  openWithCode(db, raw, now, (id) => {
    stmt(db, 'UPDATE subscribers SET village_code = ?, updated_at = ? WHERE id = ?').run(choice.villageCode, now, id);
    saveTopics(db, id, choice);
  });
}

function endSubscriber(db: Db, id: number, now: number): void {
  stmt(db, `UPDATE subscribers SET status = 'ended', ended_at = ?, updated_at = ? WHERE id = ? AND status <> 'ended'`).run(now, now, id);
  // Messages not sent yet go no further (the delivery worker checks too).
  stmt(db, `UPDATE outbox SET status = 'cancelled', updated_at = ? WHERE subscriber_id = ? AND status = 'pending'`).run(now, id);
}

/** Ends the subscription from the manage page (the code is used up). */
export function endWithCode(db: Db, raw: unknown, now = Date.now()): void {
  openWithCode(db, raw, now, (id) => endSubscriber(db, id, now));
}

/** The subscription an unsubscribe link names, ended or not; undefined for an unknown token. */
export function subscriberByToken(db: Db, token: string): { id: number; status: 'pending' | 'active' | 'ended' } | undefined {
  if (!TOKEN_PATTERN.test(token)) return undefined;
  return one<{ id: number; status: 'pending' | 'active' | 'ended' }>(db, 'SELECT id, status FROM subscribers WHERE token = ?', token);
}

/** The unsubscribe link's button: ends the subscription. False for an unknown token. */
export function unsubscribe(db: Db, token: string, now = Date.now()): boolean {
  const subscriber = subscriberByToken(db, token);
  if (!subscriber) return false;
  db.transaction(() => endSubscriber(db, subscriber.id, now)).immediate();
  return true;
}

export interface Recipient {
  id: number;
  phone: string;
  token: string;
  villageCode: string;
}

/** Active subscribers with a topic living in a region (its subtree). */
export function subscribersFor(db: Db, topic: PlainTopic, regionCode: string): Recipient[] {
  return many<Recipient>(
    db,
    `SELECT s.id, s.phone, s.token, s.village_code AS villageCode FROM subscribers s
     JOIN subscriber_topics t ON t.subscriber_id = s.id AND t.topic = ? AND t.commodity_id = 0
     WHERE s.status = 'active' AND s.village_code LIKE ? || '%' ORDER BY s.id`,
    topic,
    regionCode,
  );
}

export function countSubscribersFor(db: Db, topic: PlainTopic, regionCode: string): number {
  return one<{ n: number }>(
    db,
    `SELECT count(*) AS n FROM subscribers s JOIN subscriber_topics t ON t.subscriber_id = s.id AND t.topic = ? AND t.commodity_id = 0
     WHERE s.status = 'active' AND s.village_code LIKE ? || '%'`,
    topic,
    regionCode,
  )!.n;
}

export interface TownshipGroup {
  county: Region;
  townships: Region[];
}

/** What the form offers: townships by county (step one), the chosen township's villages, the commodities. */
export interface ChoiceOptions {
  groups: TownshipGroup[];
  township: Region | undefined;
  villages: Region[];
  commodities: Commodity[];
}

export function choiceOptions(db: Db, townshipCode: string): ChoiceOptions {
  const city = cityRegion(db);
  const groups = city ? childRegions(db, city.code).map((county) => ({ county, townships: childRegions(db, county.code) })) : [];
  const township = /^\d{9}$/.test(townshipCode) ? groups.flatMap((g) => g.townships).find((t) => t.code === townshipCode) : undefined;
  return { groups, township, villages: township ? childRegions(db, township.code) : [], commodities: listCommodities(db) };
}
