/**
 * Sign-in sessions on Lucia v3, the session library the project owner chose. Upstream deprecated
 * v3 in 2025 (its authors now teach the same design without the library), so Lucia is imported
 * here and nowhere else: replacing it later touches this module only, never a page.
 *
 * Lucia's session id is the token in the cookie; our adapter stores only its SHA-256, so a copy
 * of the database (every backup) holds no token that signs anyone in.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { Lucia, TimeSpan, type Adapter, type Cookie, type DatabaseSession, type DatabaseUser } from 'lucia';
import { perConnection, type Db } from '../db/index.ts';
import { many, one, stmt } from '../db/statements.ts';
import { config } from '../config.ts';
import { secureCookies, type Listener } from '../site.ts';
import { secondFactorRequired, type Role } from './roles.ts';

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
/** Between a right password and the second factor: enough to open the app and type a code. */
export const SECOND_FACTOR_TIMEOUT_MS = 5 * 60 * 1000;
/** The part of a User-Agent kept to describe a session's device. */
const USER_AGENT_MAX = 300;
/** Sliding the idle expiry costs a write; do it at most once a minute per session. */
const EXTEND_AFTER_MS = 60 * 1000;
export const SESSION_COOKIE = 'xiangxin_session';
/** Lucia's ids: generateIdFromEntropySize(25), 200 bits as 40 base32 characters. */
const TOKEN_SHAPE = /^[a-z2-7]{40}$/;

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  mustChangePassword: boolean;
  disabled: boolean;
  /** Has a confirmed second factor. */
  secondFactor: boolean;
  /** Must have one (TOTP_REQUIRED_ROLES) and has none yet: may only enrol (or change the password). */
  mustEnrolSecondFactor: boolean;
  /** A department reporter's unit (report_units), else null. */
  unitId: number | null;
}

type UserAttributes = Omit<SessionUser, 'id' | 'mustEnrolSecondFactor'>;
interface SessionAttributes {
  createdAt: number;
  clientAddress: string;
  userAgent: string;
  /** The password was right; the second factor is still to come: signs nobody in. */
  secondFactorPending: boolean;
}

declare module 'lucia' {
  interface Register {
    Lucia: Lucia<SessionAttributes, UserAttributes>;
    DatabaseUserAttributes: UserAttributes;
    DatabaseSessionAttributes: SessionAttributes;
  }
}

export interface SessionCookie {
  name: string;
  value: string;
  /** No maxAge or expires on a sign-in: the browser forgets the cookie when it closes. */
  attributes: { httpOnly?: boolean; secure?: boolean; sameSite?: 'lax' | 'strict' | 'none'; path?: string; maxAge?: number };
}

/** The row id for a token: hex SHA-256, so the table never holds the token itself. */
export function sessionIdOf(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

interface SessionRow {
  id: string;
  userId: string;
  expiresAt: number;
  createdAt: number;
  clientAddress: string;
  userAgent: string;
  secondFactorPending: number;
}
const SESSION_COLUMNS = `id, user_id AS userId, expires_at AS expiresAt, created_at AS createdAt, client_address AS clientAddress,
  user_agent AS userAgent, second_factor_pending AS secondFactorPending`;

/**
 * Lucia's storage on better-sqlite3, hashing on the way in: every method that is given a session
 * id takes it to be the token and looks up its hash, and a session it returns carries that token
 * back as its id, so Lucia can pass it on to updateSessionExpiration or deleteSession.
 */
function hashingAdapter(db: Db): Adapter {
  const toSession = (r: SessionRow, id: string): DatabaseSession => ({
    id,
    userId: r.userId,
    expiresAt: new Date(r.expiresAt),
    attributes: { createdAt: r.createdAt, clientAddress: r.clientAddress, userAgent: r.userAgent, secondFactorPending: Boolean(r.secondFactorPending) },
  });
  return {
    async getSessionAndUser(token) {
      const s = one<SessionRow>(db, `SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = ?`, sessionIdOf(token));
      if (!s) return [null, null];
      // A disabled account has no user: Lucia then deletes the session.
      const u = one<Omit<UserAttributes, 'mustChangePassword' | 'disabled' | 'secondFactor'> & { id: string; mustChangePassword: number; secondFactor: number }>(
        db,
        `SELECT id, username, display_name AS displayName, role, region_code AS regionCode,
           must_change_password AS mustChangePassword, totp_enabled_at IS NOT NULL AS secondFactor, unit_id AS unitId FROM users WHERE id = ? AND disabled = 0`,
        s.userId,
      );
      const user: DatabaseUser | null = u
        ? { id: u.id, attributes: { ...u, mustChangePassword: Boolean(u.mustChangePassword), disabled: false, secondFactor: Boolean(u.secondFactor) } }
        : null;
      return [toSession(s, token), user];
    },
    /** The table holds no tokens, so these sessions carry their row ids (hashes): no cookie or deleteSession accepts them. */
    async getUserSessions(userId) {
      return many<SessionRow>(db, `SELECT ${SESSION_COLUMNS} FROM sessions WHERE user_id = ?`, userId).map((r) => toSession(r, r.id));
    },
    async setSession(session) {
      const { createdAt, clientAddress, userAgent, secondFactorPending } = session.attributes;
      stmt(
        db,
        `INSERT INTO sessions (id, user_id, expires_at, created_at, client_address, user_agent, last_used_at, second_factor_pending)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(sessionIdOf(session.id), session.userId, session.expiresAt.getTime(), createdAt, clientAddress, userAgent, createdAt, secondFactorPending ? 1 : 0);
    },
    /** The expiry slides only on use, so this is also the session's last use (to the minute). */
    async updateSessionExpiration(token, expiresAt) {
      stmt(db, 'UPDATE sessions SET expires_at = ?, last_used_at = ? WHERE id = ?').run(expiresAt.getTime(), Date.now(), sessionIdOf(token));
    },
    async deleteSession(token) {
      stmt(db, 'DELETE FROM sessions WHERE id = ?').run(sessionIdOf(token));
    },
    async deleteUserSessions(userId) {
      stmt(db, 'DELETE FROM sessions WHERE user_id = ?').run(userId);
    },
    async deleteExpiredSessions() {
      const now = Date.now();
      stmt(db, 'DELETE FROM sessions WHERE expires_at <= ? OR created_at <= ?').run(now, now - ABSOLUTE_TIMEOUT_MS);
    },
  };
}

/**
 * Lucia gives a cookie with `expires: false` a 400-day Max-Age; ours lives with the browser session.
 * Secure or not depends on the listener the browser reached (src/lib/site.ts).
 */
function browserSessionCookie({ name, value, attributes }: Cookie, listener: Listener): SessionCookie {
  const { maxAge: _lifetime, expires: _date, ...rest } = attributes;
  return { name, value, attributes: { ...rest, secure: secureCookies(listener) } };
}

function createAuth(db: Db) {
  const adapter = hashingAdapter(db);
  const lucia = new Lucia(adapter, {
    sessionExpiresIn: new TimeSpan(IDLE_TIMEOUT_MS / 60000, 'm'),
    sessionCookie: {
      name: SESSION_COOKIE,
      expires: false,
      attributes: { sameSite: 'lax' },
    },
    getUserAttributes: (a) => a,
    getSessionAttributes: (a) => a,
  });

  return {
    cookieName: lucia.sessionCookieName,

    /**
     * A new session with a new random token (never reuse one across a sign-in), its cookie fit for
     * the listener it is set on. With `secondFactorPending` it only lets its holder type the second
     * factor on /login.
     */
    async create(
      userId: string,
      clientAddress: string,
      listener: Listener,
      options: { userAgent?: string; secondFactorPending?: boolean } = {},
    ): Promise<SessionCookie> {
      const session = await lucia.createSession(userId, {
        createdAt: Date.now(),
        clientAddress,
        userAgent: (options.userAgent ?? '').slice(0, USER_AGENT_MAX),
        secondFactorPending: options.secondFactorPending ?? false,
      });
      return browserSessionCookie(lucia.createSessionCookie(session.id), listener);
    },

    /**
     * The signed-in user for a cookie's token, applying the idle and absolute timeouts.
     * `sessionId` is the token again (Lucia's session id), as `invalidate` takes it.
     */
    async validate(token: string): Promise<{ user: SessionUser; sessionId: string; secondFactorPending: boolean } | null> {
      // Malformed cookies cost no query.
      if (!TOKEN_SHAPE.test(token)) return null;
      const { session, user } = await lucia.validateSession(token);
      if (!session) return null;
      const now = Date.now();
      const limit = session.secondFactorPending ? SECOND_FACTOR_TIMEOUT_MS : ABSOLUTE_TIMEOUT_MS;
      if (now - session.createdAt >= limit) {
        await lucia.invalidateSession(session.id);
        return null;
      }
      // Lucia slides only in the second half of the period; a session is to last 30 idle minutes.
      if (now + IDLE_TIMEOUT_MS - session.expiresAt.getTime() > EXTEND_AFTER_MS) {
        await adapter.updateSessionExpiration(session.id, new Date(now + IDLE_TIMEOUT_MS));
      }
      const { id, username, displayName, role, regionCode, mustChangePassword, disabled, secondFactor, unitId } = user;
      const mustEnrolSecondFactor = !secondFactor && secondFactorRequired(role, regionCode, config().TOTP_REQUIRED_ROLES);
      return {
        user: { id, username, displayName, role, regionCode, mustChangePassword, disabled, secondFactor, mustEnrolSecondFactor, unitId },
        sessionId: session.id,
        secondFactorPending: session.secondFactorPending,
      };
    },

    async invalidate(sessionId: string): Promise<void> {
      await lucia.invalidateSession(sessionId);
    },

    /** Removes sessions past the idle or the absolute timeout. */
    async deleteExpired(): Promise<void> {
      await lucia.deleteExpiredSessions();
    },

    /** Clears the cookie in the browser (Max-Age=0). */
    blankCookie(listener: Listener): SessionCookie {
      const blank = lucia.createBlankSessionCookie();
      return { ...blank, attributes: { ...blank.attributes, secure: secureCookies(listener) } };
    },
  };
}

export type Auth = ReturnType<typeof createAuth>;
/**
 * The one object-style accessor left: lucia is a configured instance bound to its adapter, so it is
 * built once per connection and its methods close over it, rather than rebuilt on every request.
 */
export const auth = perConnection(createAuth);
