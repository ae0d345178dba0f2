import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import type { Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { ForbiddenError, UserError } from '../errors.ts';
import { getRegion } from '../regions/index.ts';
import { levelOfCode } from '../regions/types.ts';
import { clearLocks, recordFailure, recordSuccess, reserveAttempt } from './attempts.ts';
import { CONSOLE_ID, can, manageAction, separationBinds, type Action, type Actor } from './can.ts';
import { hashPassword, passwordSchema, temporaryPassword, verifyPassword } from './password.ts';
import { EXPERT_LEVELS, isSeparatedRole, ROLE_LEVEL, ROLES, roleForLevel, type Role } from './roles.ts';
import type { ChangeContext } from '../context.ts';

export interface UserRecord extends Actor {
  displayName: string;
  mustChangePassword: boolean;
  disabled: boolean;
  /** The end of the latest lock on this name from any address (attempts.ts), if one is on. */
  lockedUntil: number | null;
  createdAt: number;
}

interface UserRow extends UserRecord {
  passwordHash: string;
}

/** The operator at the server console (CLI scripts): full rights, audited as "console". */
export const CONSOLE: Actor = { id: CONSOLE_ID, username: 'console', role: 'admin', regionCode: '' };

export const usernameSchema = z
  .string()
  .trim()
  .min(3, 'validation.username.length')
  .max(32, 'validation.username.length')
  .regex(/^[A-Za-z0-9_.-]+$/, 'validation.username.chars');

const regionCodeSchema = z
  .string()
  .trim()
  .regex(/^\d{4,12}$/, 'validation.region.unknown');
const displayNameSchema = z.string().trim().max(50, 'validation.tooLong').default('');
/** A department reporter's unit (report_units); forms send '' for none. */
const unitIdSchema = z.preprocess(
  (v) => (v === '' || v === null ? undefined : v),
  z.coerce.number('validation.unit.unknown').int('validation.unit.unknown').positive('validation.unit.unknown').optional(),
);

export const createUserSchema = z.object({
  username: usernameSchema,
  displayName: displayNameSchema,
  role: z.enum(ROLES, 'validation.role.unknown'),
  regionCode: regionCodeSchema,
  unitId: unitIdSchema,
});
export type CreateUserInput = z.input<typeof createUserSchema>;

export const updateUserSchema = z.object({
  displayName: displayNameSchema,
  role: z.enum(ROLES, 'validation.role.unknown'),
  regionCode: regionCodeSchema,
  disabled: z.boolean().default(false),
  unitId: unitIdSchema,
});
export type UpdateUserInput = z.input<typeof updateUserSchema>;

export const changeRoleSchema = z.object({ role: z.enum(ROLES, 'validation.role.unknown') });

const COLUMNS = `id, username, display_name AS displayName, role, region_code AS regionCode,
  must_change_password AS mustChangePassword, disabled, unit_id AS unitId,
  (SELECT max(locked_until) FROM login_locks l WHERE l.username = users.username) AS lockedUntil, created_at AS createdAt`;

function toRecord<T extends UserRecord>(row: T | undefined): T | undefined {
  if (!row) return undefined;
  return { ...row, mustChangePassword: Boolean(row.mustChangePassword), disabled: Boolean(row.disabled) };
}

export function getUser(db: Db, id: string): UserRecord | undefined {
  return toRecord(one<UserRecord>(db, `SELECT ${COLUMNS} FROM users WHERE id = ?`, id));
}

export function findUserForSignIn(db: Db, username: string): UserRow | undefined {
  return toRecord(one<UserRow>(db, `SELECT ${COLUMNS}, password_hash AS passwordHash FROM users WHERE username = ?`, username));
}

/** Accounts whose region lies in `scope`, optionally narrowed by a search on name or username. */
export function listUsers(db: Db, scope: string, search = ''): UserRecord[] {
  const like = `%${search.replace(/[%_\\]/g, '\\$&')}%`;
  const rows = many<UserRecord>(
    db,
    `SELECT ${COLUMNS} FROM users WHERE region_code LIKE ? || '%'
       AND (username LIKE ? ESCAPE '\\' OR display_name LIKE ? ESCAPE '\\')
     ORDER BY region_code, role, username LIMIT 500`,
    scope,
    like,
    like,
  );
  return rows.map((r) => toRecord(r)!);
}

export function countUsers(db: Db, scope: string): number {
  return one<{ n: number }>(db, `SELECT count(*) AS n FROM users WHERE region_code LIKE ? || '%'`, scope)!.n;
}

export function adminExists(db: Db): boolean {
  return stmt(db, `SELECT 1 FROM users WHERE role = 'admin' AND disabled = 0 LIMIT 1`).get() !== undefined;
}

/**
 * The account's unit: a reporter needs an active department unit owned by its region (a unit the
 * actor cannot see is answered like an unknown one); every other role has none.
 */
function assertRegionFitsRole(db: Db, role: Role, regionCode: string, unitId: number | undefined): number | null {
  const region = getRegion(db, regionCode);
  if (!region) throw new UserError('validation.region.unknown', 400, 'regionCode');
  if (role === 'reporter') {
    const unit =
      unitId === undefined ? undefined : one<{ regionCode: string }>(db, 'SELECT region_code AS regionCode FROM report_units WHERE id = ? AND retired_at IS NULL', unitId);
    if (!unit || unit.regionCode !== regionCode) throw new UserError('validation.unit.unknown', 400, 'unitId');
    return unitId!;
  }
  const fits = role === 'expert' ? EXPERT_LEVELS.includes(region.level) : region.level === ROLE_LEVEL[role];
  if (!fits) throw new UserError('validation.region.levelMismatch', 400, 'regionCode');
  return null;
}

function summarize(u: { username: string; role: Role; regionCode: string; disabled?: boolean; unitId?: number | null | undefined }): string {
  return `username=${u.username} role=${u.role} region=${u.regionCode}${u.unitId ? ` unit=${u.unitId}` : ''}${u.disabled ? ' disabled' : ''}`;
}

/**
 * A password already hashed by `hashPassword`, whose policy check was the caller's: for makers of
 * many accounts with one password (the test fixtures hash theirs once, not at 0.3 s per account).
 */
export interface HashedPassword {
  hash: string;
}

/**
 * Creates an account. Without `password` a temporary one is generated, returned once, and must be
 * changed at the first sign-in.
 */
export async function createUser(db: Db, ctx: ChangeContext, raw: unknown, password?: string | HashedPassword): Promise<{ user: UserRecord; temporaryPassword?: string }> {
  const input = createUserSchema.parse(raw);
  if (!can(ctx.actor, manageAction(input.role), input.regionCode)) throw new ForbiddenError(manageAction(input.role), input.regionCode);
  const unitId = assertRegionFitsRole(db, input.role, input.regionCode, input.unitId);
  const secret =
    password === undefined ? temporaryPassword() : typeof password === 'string' ? z.object({ password: passwordSchema(input.username) }).parse({ password }).password : undefined;
  const hash = secret === undefined ? (password as HashedPassword).hash : await hashPassword(secret);
  const id = randomBytes(12).toString('hex');
  const now = Date.now();
  const created = db
    .transaction(() => {
      if (stmt(db, 'SELECT 1 FROM users WHERE username = ?').get(input.username)) return false;
      stmt(
        db,
        `INSERT INTO users (id, username, display_name, role, region_code, unit_id, password_hash, must_change_password,
         password_changed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(id, input.username, input.displayName, input.role, input.regionCode, unitId, hash, password ? 0 : 1, now, now, now);
      recordAudit(db, ctx, {
        action: 'user.create',
        entity: 'user',
        entityId: id,
        regionCode: input.regionCode,
        summary: summarize({ ...input, unitId }),
      });
      return true;
    })
    .immediate();
  if (!created) {
    // The same answer whether the name is taken inside the actor's scope or anywhere else, so it
    // tells nothing about accounts out of scope; repeated probing shows in the audit log.
    recordAudit(db, ctx, { action: 'user.create.nameUnavailable', entity: 'user', regionCode: input.regionCode, summary: `username=${input.username}` });
    throw new UserError('validation.username.unavailable', 400, 'username');
  }
  return { user: getUser(db, id)!, ...(password ? {} : { temporaryPassword: secret }) };
}

/** What can be done to an account on /admin/users/{id}: the buttons offered and the writes' own check. */
export const USER_INTENTS = ['save', 'reset', 'unlock', 'changeRole', 'resetSecondFactor', 'endSessions'] as const;
export type UserIntent = (typeof USER_INTENTS)[number];

/** The action a refused intent is audited under. */
function intentAction(intent: UserIntent, user: UserRecord): Action {
  if (intent === 'unlock') return 'account.unlock';
  if (intent === 'changeRole') return 'account.role';
  if (intent === 'resetSecondFactor' || intent === 'endSessions') return 'account.policy';
  return manageAction(user.role);
}

/**
 * The roles `changeRole` may give an account where it sits: its level's staff role or an expert.
 * Never to or from a separated role (only the console makes those), nor to a reporter (a
 * department's unit comes with that role, made on the units' pages).
 */
export function roleChoices(user: Pick<UserRecord, 'role' | 'regionCode'>): Role[] {
  const level = levelOfCode(user.regionCode);
  if (!level || isSeparatedRole(user.role)) return [];
  const roles: Role[] = [roleForLevel(level), ...(EXPERT_LEVELS.includes(level) ? (['expert'] as const) : [])];
  return roles.filter((role) => role !== user.role);
}

/**
 * What the actor may do to the account. Nobody uses these powers on their own account. With
 * SEPARATION_OF_DUTIES on, roles, second factors and sessions are the security administrator's
 * alone; managers (the system administrator included) keep names, disabling, passwords and locks.
 */
export function allowedUserIntents(actor: Actor, user: UserRecord): UserIntent[] {
  if (user.id === actor.id) return [];
  const manages = can(actor, manageAction(user.role), user.regionCode);
  const policy = separationBinds(actor) ? can(actor, 'account.policy', user.regionCode) : manages;
  return USER_INTENTS.filter((intent) => {
    if (intent === 'save' || intent === 'reset') return manages;
    if (intent === 'unlock') return manages || can(actor, 'account.unlock', user.regionCode);
    if (intent === 'changeRole') return can(actor, 'account.role', user.regionCode) && roleChoices(user).length > 0;
    return policy;
  });
}

/**
 * The account, if the actor may do `intent` to it (without one: anything at all, to show it). An
 * account the actor can do nothing with is answered 404 so other scopes' accounts do not leak; a
 * visible account's other powers are refused with a 403.
 */
export function getManagedUser(db: Db, actor: Actor, id: string, intent?: UserIntent): UserRecord {
  const user = getUser(db, id);
  if (!user) throw new UserError('error.notFound', 404);
  const allowed = allowedUserIntents(actor, user);
  if (allowed.length === 0) throw new ForbiddenError(manageAction(user.role), user.regionCode, { asNotFound: true });
  if (intent && !allowed.includes(intent)) throw new ForbiddenError(intentAction(intent, user), user.regionCode);
  return user;
}

export function updateUser(db: Db, ctx: ChangeContext, id: string, raw: unknown): UserRecord {
  const input = updateUserSchema.parse(raw);
  db.transaction(() => {
    const before = getManagedUser(db, ctx.actor, id, 'save');
    if (!can(ctx.actor, manageAction(input.role), input.regionCode)) throw new ForbiddenError(manageAction(input.role), input.regionCode);
    // With the option on, a role changes only through changeRole (the security administrator's), so
    // the system administrator can neither give nor take one by moving an account to another level.
    if (input.role !== before.role && separationBinds(ctx.actor)) throw new ForbiddenError('account.role', before.regionCode);
    // A reporter edited without naming a unit keeps its own.
    const unitId = assertRegionFitsRole(db, input.role, input.regionCode, input.unitId ?? before.unitId ?? undefined);
    stmt(db, `UPDATE users SET display_name = ?, role = ?, region_code = ?, unit_id = ?, disabled = ?, updated_at = ? WHERE id = ?`).run(
      input.displayName,
      input.role,
      input.regionCode,
      unitId,
      input.disabled ? 1 : 0,
      Date.now(),
      id,
    );
    // A disabled account, or one moved to another role or region, must sign in again.
    if (input.disabled || input.role !== before.role || input.regionCode !== before.regionCode || unitId !== (before.unitId ?? null)) {
      stmt(db, 'DELETE FROM sessions WHERE user_id = ?').run(id);
    }
    recordAudit(db, ctx, {
      action: 'user.update',
      entity: 'user',
      entityId: id,
      regionCode: input.regionCode,
      summary: `${summarize(before)} → ${summarize({ username: before.username, ...input, unitId })}`,
    });
  }).immediate();
  return getUser(db, id)!;
}

/** Sets a new temporary password, signs the account out everywhere and lifts any lock. */
export async function resetPassword(db: Db, ctx: ChangeContext, id: string): Promise<string> {
  getManagedUser(db, ctx.actor, id, 'reset');
  const secret = temporaryPassword();
  const hash = await hashPassword(secret);
  db.transaction(() => {
    const user = getManagedUser(db, ctx.actor, id, 'reset');
    writePassword(db, user, hash, true);
    recordAudit(db, ctx, { action: 'user.resetPassword', entity: 'user', entityId: id, regionCode: user.regionCode, summary: `username=${user.username}` });
  }).immediate();
  return secret;
}

/** Lifts every lock on the account's name, from every address; audited. */
function unlock(db: Db, ctx: ChangeContext, user: UserRecord): void {
  clearLocks(db, user.username);
  recordAudit(db, ctx, { action: 'user.unlock', entity: 'user', entityId: user.id, regionCode: user.regionCode, summary: `username=${user.username}` });
}

export function unlockUser(db: Db, ctx: ChangeContext, id: string): void {
  db.transaction(() => unlock(db, ctx, getManagedUser(db, ctx.actor, id, 'unlock'))).immediate();
}

/**
 * Gives an account another role where it sits (roleChoices); its sessions end, so it signs in again
 * with the new role. A reporter's unit is dropped with the role.
 */
export function changeRole(db: Db, ctx: ChangeContext, id: string, raw: unknown): UserRecord {
  const input = changeRoleSchema.parse(raw);
  db.transaction(() => {
    const before = getManagedUser(db, ctx.actor, id, 'changeRole');
    if (isSeparatedRole(input.role)) throw new ForbiddenError(manageAction(input.role), before.regionCode);
    if (!roleChoices(before).includes(input.role)) throw new UserError('validation.role.notOffered', 400, 'role');
    stmt(db, 'UPDATE users SET role = ?, unit_id = NULL, updated_at = ? WHERE id = ?').run(input.role, Date.now(), id);
    stmt(db, 'DELETE FROM sessions WHERE user_id = ?').run(id);
    recordAudit(db, ctx, {
      action: 'user.changeRole',
      entity: 'user',
      entityId: id,
      regionCode: before.regionCode,
      summary: `${summarize(before)} → role=${input.role}`,
    });
  }).immediate();
  return getUser(db, id)!;
}

/** An account named at the console, if the actor may manage it. */
function consoleTarget(db: Db, ctx: ChangeContext, username: string): UserRow {
  const user = findUserForSignIn(db, username);
  if (!user) throw new UserError('validation.username.unknown', 404, 'username');
  if (!can(ctx.actor, manageAction(user.role), user.regionCode)) throw new ForbiddenError(manageAction(user.role), user.regionCode);
  return user;
}

/** The console unlocks an account by username (npm run user:passwd -- --unlock). */
export function unlockByUsername(db: Db, ctx: ChangeContext, username: string): UserRecord {
  const user = consoleTarget(db, ctx, username);
  db.transaction(() => unlock(db, ctx, user)).immediate();
  return getUser(db, user.id)!;
}

function writePassword(db: Db, user: { id: string; username: string }, hash: string, mustChange: boolean): void {
  const now = Date.now();
  stmt(db, `UPDATE users SET password_hash = ?, must_change_password = ?, password_changed_at = ?, updated_at = ? WHERE id = ?`).run(hash, mustChange ? 1 : 0, now, now, user.id);
  clearLocks(db, user.username);
  // Every session of the account ends when its password changes.
  stmt(db, 'DELETE FROM sessions WHERE user_id = ?').run(user.id);
}

/** The form on /admin/password; the policy knows the username, which a password must not contain. */
export function changePasswordSchema(username: string) {
  return z
    .object({
      currentPassword: z.string().min(1, 'validation.required').max(200, 'validation.password.tooLong'),
      newPassword: passwordSchema(username),
      confirmPassword: z.string().transform((value) => value.normalize('NFKC')),
    })
    .refine((v) => v.newPassword === v.confirmPassword, { message: 'validation.password.mismatch', path: ['confirmPassword'] })
    .refine((v) => v.newPassword !== v.currentPassword.normalize('NFKC'), { message: 'validation.password.unchanged', path: ['newPassword'] });
}

/**
 * A signed-in user changes their own password; all their sessions end (the caller starts a new
 * one). The current-password check counts toward the same limits as signing in, so a borrowed
 * session cannot be used to guess it.
 */
export async function changeOwnPassword(db: Db, ctx: ChangeContext, raw: unknown): Promise<void> {
  const input = changePasswordSchema(ctx.actor.username).parse(raw);
  const reservation = reserveAttempt(db, ctx.actor.username, ctx.clientAddress);
  if (!reservation.ok) throw new UserError(reservation.reason === 'locked' ? 'login.locked' : 'login.throttled', 429, 'currentPassword');
  const row = one<{ hash: string }>(db, 'SELECT password_hash AS hash FROM users WHERE id = ?', ctx.actor.id);
  if (!row || !(await verifyPassword(input.currentPassword, row.hash))) {
    const audit = (action: string, summary = '') =>
      recordAudit(db, ctx, { action, entity: 'user', entityId: ctx.actor.id, regionCode: ctx.actor.regionCode, summary: summary || 'current password on /admin/password' });
    const lockMs = recordFailure(db, reservation.attempt, audit);
    throw new UserError(lockMs ? 'login.locked' : 'validation.password.currentWrong', lockMs ? 429 : 400, 'currentPassword');
  }
  const hash = await hashPassword(input.newPassword);
  db.transaction(() => {
    recordSuccess(db, reservation.attempt);
    writePassword(db, ctx.actor, hash, false);
    recordAudit(db, ctx, { action: 'user.changePassword', entity: 'user', entityId: ctx.actor.id, regionCode: ctx.actor.regionCode });
  }).immediate();
}

/** The console sets a password for an account by username (npm run user:passwd). */
export async function setPasswordByUsername(db: Db, ctx: ChangeContext, username: string, password: string): Promise<UserRecord> {
  const user = consoleTarget(db, ctx, username);
  const valid = z.object({ password: passwordSchema(user.username) }).parse({ password }).password;
  const hash = await hashPassword(valid);
  db.transaction(() => {
    writePassword(db, user, hash, false);
    recordAudit(db, ctx, { action: 'user.setPassword', entity: 'user', entityId: user.id, regionCode: user.regionCode, summary: `username=${user.username}` });
  }).immediate();
  return getUser(db, user.id)!;
}

/** First run: with no active admin, create `admin` (or `admin-N`) with a temporary password. */
export async function ensureInitialAdmin(db: Db, cityCode: string): Promise<{ username: string; password: string } | undefined> {
  if (adminExists(db)) return undefined;
  let username = 'admin';
  for (let i = 2; stmt(db, 'SELECT 1 FROM users WHERE username = ?').get(username); i++) username = `admin-${i}`;
  const { temporaryPassword: password } = await createUser(db, { actor: CONSOLE, clientAddress: 'console' }, { username, displayName: '', role: 'admin', regionCode: cityCode });
  return { username, password: password! };
}

export function countLockedUsers(db: Db, scope: string): number {
  return one<{ n: number }>(
    db,
    `SELECT count(DISTINCT u.id) AS n FROM users u JOIN login_locks l ON l.username = u.username
       WHERE u.region_code LIKE ? || '%' AND l.locked_until > ?`,
    scope,
    Date.now(),
  )!.n;
}
