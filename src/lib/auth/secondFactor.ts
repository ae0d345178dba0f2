/**
 * The second factor of an account: enrolment (a key offered, confirmed with a code, ten recovery
 * codes shown once), the check at sign-in (a TOTP code once, a recovery code once) and the reset
 * by a manager. The sign-in step itself, with its attempt limits, is in signIn.ts.
 */
import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import { config } from '../config.ts';
import type { ChangeContext } from '../context.ts';
import type { Db } from '../db/index.ts';
import { one, stmt } from '../db/statements.ts';
import { UserError } from '../errors.ts';
import type { Actor } from './can.ts';
import { secondFactorRequired } from './roles.ts';
import { isRecoveryCodeShape, keyUri, matchStep, newRecoveryCodes, newTotpSecret, recoveryCodeHash } from './totp.ts';
import { getManagedUser } from './users.ts';

/** Where an account enrols; the only admin page (with the password page) open to one that must and has not. */
export const SECOND_FACTOR_PAGE = '/admin/security';

export const codeSchema = z.object({
  code: z.string().trim().min(1, 'validation.required').max(20, 'secondFactor.codeWrong'),
});

interface FactorRow {
  secret: string | null;
  enabledAt: number | null;
  lastStep: number;
  pending: string | null;
}

function factorRow(db: Db, userId: string): FactorRow | undefined {
  return one<FactorRow>(db, 'SELECT totp_secret AS secret, totp_enabled_at AS enabledAt, totp_last_step AS lastStep, totp_pending AS pending FROM users WHERE id = ?', userId);
}

export interface SecondFactorStatus {
  /** When the second factor was confirmed; null without one. */
  enabledAt: number | null;
  recoveryCodesLeft: number;
  required: boolean;
}

export function secondFactorStatus(db: Db, user: Pick<Actor, 'id' | 'role' | 'regionCode'>): SecondFactorStatus {
  const left = one<{ n: number }>(db, 'SELECT count(*) AS n FROM recovery_codes WHERE user_id = ? AND used_at IS NULL', user.id)!.n;
  return {
    enabledAt: factorRow(db, user.id)?.enabledAt ?? null,
    recoveryCodesLeft: left,
    required: secondFactorRequired(user.role, user.regionCode, config().TOTP_REQUIRED_ROLES),
  };
}

export interface Offer {
  secret: string;
  /** The otpauth:// address for the QR code. */
  uri: string;
}

/**
 * The key offered to an account without a second factor: the one offered before (a reload shows
 * the same QR code), else a new one, kept until it is confirmed.
 */
export function offerKey(db: Db, actor: Pick<Actor, 'id' | 'username'>, issuer: string): Offer {
  const secret = db
    .transaction(() => {
      const row = factorRow(db, actor.id);
      if (!row || row.enabledAt !== null) throw new UserError('secondFactor.already', 409);
      if (row.pending) return row.pending;
      const fresh = newTotpSecret();
      stmt(db, 'UPDATE users SET totp_pending = ? WHERE id = ?').run(fresh, actor.id);
      return fresh;
    })
    .immediate();
  return { secret, uri: keyUri(secret, issuer, actor.username) };
}

/**
 * Confirms the offered key with a code from the app; returns the ten recovery codes, which exist
 * in clear only in this answer. A wrong code is audited and refused.
 */
export function confirmEnrolment(db: Db, ctx: ChangeContext, raw: unknown, now = Date.now()): string[] {
  const { code } = codeSchema.parse(raw);
  const { actor } = ctx;
  const codes = newRecoveryCodes();
  const done = db
    .transaction(() => {
      const row = factorRow(db, actor.id);
      if (!row || row.enabledAt !== null) throw new UserError('secondFactor.already', 409);
      if (!row.pending) throw new UserError('secondFactor.noKey', 400, 'code');
      const step = matchStep(row.pending, code, now, 0);
      if (step === undefined) return false;
      stmt(db, 'UPDATE users SET totp_secret = totp_pending, totp_pending = NULL, totp_enabled_at = ?, totp_last_step = ?, updated_at = ? WHERE id = ?').run(
        now,
        step,
        now,
        actor.id,
      );
      writeRecoveryCodes(db, actor.id, codes);
      recordAudit(db, ctx, { action: 'secondFactor.enrol', entity: 'user', entityId: actor.id, regionCode: actor.regionCode, summary: 'TOTP confirmed; 10 recovery codes issued' });
      return true;
    })
    .immediate();
  if (!done) {
    recordAudit(db, ctx, { action: 'secondFactor.enrol.failed', entity: 'user', entityId: actor.id, regionCode: actor.regionCode, summary: 'wrong code while enrolling' });
    throw new UserError('secondFactor.codeWrong', 400, 'code');
  }
  return codes;
}

function writeRecoveryCodes(db: Db, userId: string, codes: string[]): void {
  stmt(db, 'DELETE FROM recovery_codes WHERE user_id = ?').run(userId);
  const insert = stmt(db, 'INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)');
  for (const code of codes) insert.run(userId, recoveryCodeHash(code));
}

/**
 * Checks a code typed at sign-in and uses it up: a TOTP code of a step after the last accepted one
 * (its step becomes the last), or an unused recovery code (marked used). Undefined when neither.
 */
export function useSecondFactor(db: Db, userId: string, code: string, now = Date.now()): 'totp' | 'recovery' | undefined {
  return db
    .transaction(() => {
      const row = factorRow(db, userId);
      if (!row?.secret) return undefined;
      if (isRecoveryCodeShape(code)) {
        const used = stmt(db, 'UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL').run(now, userId, recoveryCodeHash(code));
        return used.changes === 1 ? 'recovery' : undefined;
      }
      const step = matchStep(row.secret, code, now, row.lastStep);
      if (step === undefined) return undefined;
      stmt(db, 'UPDATE users SET totp_last_step = ? WHERE id = ?').run(step, userId);
      return 'totp';
    })
    .immediate();
}

export function hasSecondFactor(db: Db, userId: string): boolean {
  return (factorRow(db, userId)?.enabledAt ?? null) !== null;
}

/**
 * A manager removes an account's second factor (a lost phone): its key and recovery codes go, its
 * sessions end, and it must enrol again (at its next sign-in if its role requires one).
 */
export function resetSecondFactor(db: Db, ctx: ChangeContext, id: string): void {
  db.transaction(() => {
    const user = getManagedUser(db, ctx.actor, id, 'resetSecondFactor');
    stmt(db, 'UPDATE users SET totp_secret = NULL, totp_pending = NULL, totp_enabled_at = NULL, totp_last_step = 0, updated_at = ? WHERE id = ?').run(Date.now(), id);
    stmt(db, 'DELETE FROM recovery_codes WHERE user_id = ?').run(id);
    stmt(db, 'DELETE FROM sessions WHERE user_id = ?').run(id);
    recordAudit(db, ctx, { action: 'user.resetSecondFactor', entity: 'user', entityId: id, regionCode: user.regionCode, summary: `username=${user.username}` });
  }).immediate();
}
