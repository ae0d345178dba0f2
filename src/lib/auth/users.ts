import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import type { Db } from '../db/index.ts';
import { stmt } from '../db/statements.ts';
import { ForbiddenError, UserError } from '../errors.ts';
import { regions } from '../regions/index.ts';
import { can, manageAction, type Actor } from './can.ts';
import { hashPassword, passwordSchema, temporaryPassword, verifyPassword } from './password.ts';
import { ROLE_LEVEL, ROLES, type Role } from './roles.ts';

export interface UserRecord extends Actor {
  displayName: string;
  mustChangePassword: boolean;
  disabled: boolean;
  failedLogins: number;
  lockedUntil: number | null;
  createdAt: number;
}

interface UserRow extends UserRecord {
  passwordHash: string;
}

/** Who is making a change, and from where; written to the audit log with it. */
export interface ChangeContext {
  actor: Actor;
  clientAddress: string;
}

/** The operator at the server console (CLI scripts): full rights, audited as "console". */
export const CONSOLE: Actor = { id: '', username: 'console', role: 'admin', regionCode: '' };

export const usernameSchema = z
  .string()
  .trim()
  .min(3, 'validation.username.length')
  .max(32, 'validation.username.length')
  .regex(/^[A-Za-z0-9_.-]+$/, 'validation.username.chars');

const regionCodeSchema = z.string().trim().regex(/^\d{4,12}$/, 'validation.region.unknown');
const displayNameSchema = z.string().trim().max(50, 'validation.tooLong').default('');

export const createUserSchema = z.object({
  username: usernameSchema,
  displayName: displayNameSchema,
  role: z.enum(ROLES, 'validation.role.unknown'),
  regionCode: regionCodeSchema,
});
export type CreateUserInput = z.input<typeof createUserSchema>;

export const updateUserSchema = z.object({
  displayName: displayNameSchema,
  role: z.enum(ROLES, 'validation.role.unknown'),
  regionCode: regionCodeSchema,
  disabled: z.boolean().default(false),
});
export type UpdateUserInput = z.input<typeof updateUserSchema>;

const COLUMNS = `id, username, display_name AS displayName, role, region_code AS regionCode,
  must_change_password AS mustChangePassword, disabled, failed_logins AS failedLogins,
  locked_until AS lockedUntil, created_at AS createdAt`;

function toRecord<T extends UserRecord>(row: T | undefined): T | undefined {
  if (!row) return undefined;
  return { ...row, mustChangePassword: Boolean(row.mustChangePassword), disabled: Boolean(row.disabled) };
}

export function getUser(db: Db, id: string): UserRecord | undefined {
  return toRecord(stmt(db, `SELECT ${COLUMNS} FROM users WHERE id = ?`).get(id) as UserRecord | undefined);
}

export function findUserForSignIn(db: Db, username: string): UserRow | undefined {
  return toRecord(
    stmt(db, `SELECT ${COLUMNS}, password_hash AS passwordHash FROM users WHERE username = ?`).get(username) as
      | UserRow
      | undefined,
  );
}

/** Accounts whose region lies in `scope`, optionally narrowed by a search on name or username. */
export function listUsers(db: Db, scope: string, search = ''): UserRecord[] {
  const like = `%${search.replace(/[%_\\]/g, '\\$&')}%`;
  const rows = stmt(
    db,
    `SELECT ${COLUMNS} FROM users WHERE region_code LIKE ? || '%'
       AND (username LIKE ? ESCAPE '\\' OR display_name LIKE ? ESCAPE '\\')
     ORDER BY region_code, role, username LIMIT 500`,
  ).all(scope, like, like) as UserRecord[];
  return rows.map((r) => toRecord(r)!);
}

export function countUsers(db: Db, scope: string): number {
  return (stmt(db, `SELECT count(*) AS n FROM users WHERE region_code LIKE ? || '%'`).get(scope) as { n: number }).n;
}

export function adminExists(db: Db): boolean {
  return stmt(db, `SELECT 1 FROM users WHERE role = 'admin' AND disabled = 0 LIMIT 1`).get() !== undefined;
}

function assertRegionFitsRole(db: Db, role: Role, regionCode: string): void {
  const region = regions(db).get(regionCode);
  if (!region) throw new UserError('validation.region.unknown', 400, 'regionCode');
  if (region.level !== ROLE_LEVEL[role]) throw new UserError('validation.region.levelMismatch', 400, 'regionCode');
}

function summarize(u: { username: string; role: Role; regionCode: string; disabled?: boolean }): string {
  return `username=${u.username} role=${u.role} region=${u.regionCode}${u.disabled ? ' disabled' : ''}`;
}

/**
 * Creates an account. Without `password` a temporary one is generated, returned once, and must be
 * changed at the first sign-in.
 */
export async function createUser(
  db: Db,
  ctx: ChangeContext,
  raw: unknown,
  password?: string,
): Promise<{ user: UserRecord; temporaryPassword?: string }> {
  const input = createUserSchema.parse(raw);
  if (!can(ctx.actor, manageAction(input.role), input.regionCode)) throw new ForbiddenError(manageAction(input.role), input.regionCode);
  assertRegionFitsRole(db, input.role, input.regionCode);
  if (password !== undefined) z.object({ password: passwordSchema }).parse({ password });
  const secret = password ?? temporaryPassword();
  const hash = await hashPassword(secret);
  const id = randomBytes(12).toString('hex');
  const now = Date.now();
  db.transaction(() => {
    if (stmt(db, 'SELECT 1 FROM users WHERE username = ?').get(input.username)) {
      throw new UserError('validation.username.taken', 409, 'username');
    }
    stmt(
      db,
      `INSERT INTO users (id, username, display_name, role, region_code, password_hash, must_change_password,
         password_changed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(id, input.username, input.displayName, input.role, input.regionCode, hash, password ? 0 : 1, now, now, now);
    recordAudit(db, ctx, {
      action: 'user.create',
      entity: 'user',
      entityId: id,
      regionCode: input.regionCode,
      summary: summarize(input),
    });
  })();
  return { user: getUser(db, id)!, ...(password ? {} : { temporaryPassword: secret }) };
}

/** The account, if the actor may manage it; otherwise a 404 so other scopes' accounts do not leak. */
export function getManagedUser(db: Db, actor: Actor, id: string): UserRecord {
  const user = getUser(db, id);
  if (!user) throw new UserError('error.notFound', 404);
  if (user.id === actor.id || !can(actor, manageAction(user.role), user.regionCode)) {
    throw new ForbiddenError(manageAction(user.role), user.regionCode, { asNotFound: true });
  }
  return user;
}

export function updateUser(db: Db, ctx: ChangeContext, id: string, raw: unknown): UserRecord {
  const input = updateUserSchema.parse(raw);
  db.transaction(() => {
    const before = getManagedUser(db, ctx.actor, id);
    if (!can(ctx.actor, manageAction(input.role), input.regionCode)) throw new ForbiddenError(manageAction(input.role), input.regionCode);
    assertRegionFitsRole(db, input.role, input.regionCode);
    stmt(
      db,
      `UPDATE users SET display_name = ?, role = ?, region_code = ?, disabled = ?, updated_at = ? WHERE id = ?`,
    ).run(input.displayName, input.role, input.regionCode, input.disabled ? 1 : 0, Date.now(), id);
    // A disabled account, or one moved to another role or region, must sign in again.
    if (input.disabled || input.role !== before.role || input.regionCode !== before.regionCode) {
      stmt(db, 'DELETE FROM sessions WHERE user_id = ?').run(id);
    }
    recordAudit(db, ctx, {
      action: 'user.update',
      entity: 'user',
      entityId: id,
      regionCode: input.regionCode,
      summary: `${summarize(before)} → ${summarize({ username: before.username, ...input })}`,
    });
  })();
  return getUser(db, id)!;
}

/** Sets a new temporary password, signs the account out everywhere and lifts any lock. */
export async function resetPassword(db: Db, ctx: ChangeContext, id: string): Promise<string> {
  getManagedUser(db, ctx.actor, id);
  const secret = temporaryPassword();
  const hash = await hashPassword(secret);
  db.transaction(() => {
    const user = getManagedUser(db, ctx.actor, id);
    writePassword(db, id, hash, true);
    recordAudit(db, ctx, { action: 'user.resetPassword', entity: 'user', entityId: id, regionCode: user.regionCode, summary: `username=${user.username}` });
  })();
  return secret;
}

export function unlockUser(db: Db, ctx: ChangeContext, id: string): void {
  db.transaction(() => {
    const user = getManagedUser(db, ctx.actor, id);
    stmt(db, 'UPDATE users SET failed_logins = 0, locked_until = NULL, updated_at = ? WHERE id = ?').run(Date.now(), id);
    recordAudit(db, ctx, { action: 'user.unlock', entity: 'user', entityId: id, regionCode: user.regionCode, summary: `username=${user.username}` });
  })();
}

function writePassword(db: Db, id: string, hash: string, mustChange: boolean): void {
  const now = Date.now();
  stmt(
    db,
    `UPDATE users SET password_hash = ?, must_change_password = ?, failed_logins = 0, locked_until = NULL,
       password_changed_at = ?, updated_at = ? WHERE id = ?`,
  ).run(hash, mustChange ? 1 : 0, now, now, id);
  // Every session of the account ends when its password changes.
  stmt(db, 'DELETE FROM sessions WHERE user_id = ?').run(id);
}

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, 'validation.required').max(200, 'validation.password.tooLong'),
    newPassword: passwordSchema,
    confirmPassword: z.string(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { message: 'validation.password.mismatch', path: ['confirmPassword'] })
  .refine((v) => v.newPassword !== v.currentPassword, { message: 'validation.password.unchanged', path: ['newPassword'] });
export type ChangePasswordInput = z.input<typeof changePasswordSchema>;

/** A signed-in user changes their own password; all their sessions end (the caller starts a new one). */
export async function changeOwnPassword(db: Db, ctx: ChangeContext, raw: unknown): Promise<void> {
  const input = changePasswordSchema.parse(raw);
  const row = stmt(db, 'SELECT password_hash AS hash FROM users WHERE id = ?').get(ctx.actor.id) as { hash: string } | undefined;
  if (!row || !(await verifyPassword(input.currentPassword, row.hash))) {
    throw new UserError('validation.password.currentWrong', 400, 'currentPassword');
  }
  const hash = await hashPassword(input.newPassword);
  db.transaction(() => {
    writePassword(db, ctx.actor.id, hash, false);
    recordAudit(db, ctx, { action: 'user.changePassword', entity: 'user', entityId: ctx.actor.id, regionCode: ctx.actor.regionCode });
  })();
}

/** The console sets a password for an account by username (npm run user:passwd). */
export async function setPasswordByUsername(db: Db, ctx: ChangeContext, username: string, password: string): Promise<UserRecord> {
  z.object({ password: passwordSchema }).parse({ password });
  const user = findUserForSignIn(db, username);
  if (!user) throw new UserError('validation.username.unknown', 404, 'username');
  if (!can(ctx.actor, manageAction(user.role), user.regionCode)) throw new ForbiddenError(manageAction(user.role), user.regionCode);
  const hash = await hashPassword(password);
  db.transaction(() => {
    writePassword(db, user.id, hash, false);
    recordAudit(db, ctx, { action: 'user.setPassword', entity: 'user', entityId: user.id, regionCode: user.regionCode, summary: `username=${user.username}` });
  })();
  return getUser(db, user.id)!;
}

/** First run: with no active admin, create `admin` (or `admin-N`) with a temporary password. */
export async function ensureInitialAdmin(db: Db, cityCode: string): Promise<{ username: string; password: string } | undefined> {
  if (adminExists(db)) return undefined;
  let username = 'admin';
  for (let i = 2; stmt(db, 'SELECT 1 FROM users WHERE username = ?').get(username); i++) username = `admin-${i}`;
  const { temporaryPassword: password } = await createUser(
    db,
    { actor: CONSOLE, clientAddress: 'console' },
    { username, displayName: '', role: 'admin', regionCode: cityCode },
  );
  return { username, password: password! };
}

export function countLockedUsers(db: Db, scope: string): number {
  return (
    stmt(db, `SELECT count(*) AS n FROM users WHERE region_code LIKE ? || '%' AND locked_until > ?`).get(scope, Date.now()) as { n: number }
  ).n;
}
