/**
 * Sign-in sessions, after the session guide Lucia's authors now teach in place of the library
 * (Lucia v3 was deprecated in 2025): a random token in the cookie, only its SHA-256 in the table.
 * A copy of the database (every backup) therefore holds no token that signs anyone in.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { randomBytes } from 'node:crypto';
import { perConnection, type Db } from '../db/index.ts';
import { stmt } from '../db/statements.ts';
import { configuredOrigin } from '../http/site.ts';
import type { Role } from './roles.ts';

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
/** Sliding the idle expiry costs a write; do it at most once a minute per session. */
const EXTEND_AFTER_MS = 60 * 1000;
export const SESSION_COOKIE = 'xiangxin_session';
/** 20 random bytes (160 bits) as 32 base32 characters. */
const TOKEN_BYTES = 20;
const TOKEN_SHAPE = /^[a-z2-7]{32}$/;

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  mustChangePassword: boolean;
  disabled: boolean;
}

export interface SessionCookie {
  name: string;
  value: string;
  /** No maxAge or expires on a sign-in: the browser forgets the cookie when it closes. */
  attributes: { httpOnly: boolean; secure: boolean; sameSite: 'lax'; path: string; maxAge?: number };
}

/** The row id for a token: hex SHA-256, so the table never holds the token itself. */
export function sessionIdOf(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

function cookie(value: string, maxAge?: number): SessionCookie {
  const secure = configuredOrigin()?.startsWith('https:') ?? false;
  return { name: SESSION_COOKIE, value, attributes: { httpOnly: true, secure, sameSite: 'lax', path: '/', ...(maxAge === undefined ? {} : { maxAge }) } };
}

function createAuth(db: Db) {
  return {
    cookieName: SESSION_COOKIE,

    /** A new session with a new random token (never reuse one across a sign-in). */
    create(userId: string, clientAddress: string): SessionCookie {
      const token = encodeBase32LowerCaseNoPadding(randomBytes(TOKEN_BYTES));
      const now = Date.now();
      stmt(db, 'INSERT INTO sessions (id, user_id, expires_at, created_at, client_address) VALUES (?, ?, ?, ?, ?)').run(
        sessionIdOf(token),
        userId,
        now + IDLE_TIMEOUT_MS,
        now,
        clientAddress,
      );
      return cookie(token);
    },

    /**
     * The signed-in user for a cookie's token, applying the idle and absolute timeouts.
     * `sessionId` is the row id (the token's hash), for signing out.
     */
    validate(token: string): { user: SessionUser; sessionId: string } | null {
      if (!TOKEN_SHAPE.test(token)) return null;
      const id = sessionIdOf(token);
      const row = stmt(
        db,
        `SELECT s.expires_at AS expiresAt, s.created_at AS createdAt, u.id, u.username, u.display_name AS displayName,
           u.role, u.region_code AS regionCode, u.must_change_password AS mustChangePassword, u.disabled
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`,
      ).get(id) as (Omit<SessionUser, 'mustChangePassword' | 'disabled'> & { expiresAt: number; createdAt: number; mustChangePassword: number; disabled: number }) | undefined;
      if (!row) return null;
      const now = Date.now();
      if (row.disabled || now >= row.expiresAt || now - row.createdAt >= ABSOLUTE_TIMEOUT_MS) {
        stmt(db, 'DELETE FROM sessions WHERE id = ?').run(id);
        return null;
      }
      if (now + IDLE_TIMEOUT_MS - row.expiresAt > EXTEND_AFTER_MS) {
        stmt(db, 'UPDATE sessions SET expires_at = ? WHERE id = ?').run(now + IDLE_TIMEOUT_MS, id);
      }
      const { id: userId, username, displayName, role, regionCode } = row;
      return {
        user: { id: userId, username, displayName, role, regionCode, mustChangePassword: Boolean(row.mustChangePassword), disabled: false },
        sessionId: id,
      };
    },

    invalidate(sessionId: string): void {
      stmt(db, 'DELETE FROM sessions WHERE id = ?').run(sessionId);
    },

    deleteExpired(): void {
      stmt(db, 'DELETE FROM sessions WHERE expires_at <= ? OR created_at <= ?').run(Date.now(), Date.now() - ABSOLUTE_TIMEOUT_MS);
    },

    /** Clears the cookie in the browser. */
    blankCookie(): SessionCookie {
      return cookie('', 0);
    },
  };
}

export type Auth = ReturnType<typeof createAuth>;
export const auth = perConnection(createAuth);
