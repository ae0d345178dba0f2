/**
 * Sign-in sessions. Lucia v3 is used only here (upstream deprecated it in 2025), behind a small
 * adapter of our own on better-sqlite3, so it can be replaced without touching any page.
 */
import { Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from 'lucia';
import { perConnection, type Db } from '../db/index.ts';
import { stmt } from '../db/statements.ts';
import { configuredOrigin } from '../http/site.ts';
import type { Role } from './roles.ts';

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
/** Sliding the idle expiry costs a write; do it at most once a minute per session. */
const EXTEND_AFTER_MS = 60 * 1000;

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  mustChangePassword: boolean;
  disabled: boolean;
}

type UserAttributes = Omit<SessionUser, 'id'>;
interface SessionAttributes {
  createdAt: number;
  clientAddress: string;
}

declare module 'lucia' {
  interface Register {
    Lucia: Lucia<SessionAttributes, UserAttributes>;
    DatabaseUserAttributes: UserAttributes;
    DatabaseSessionAttributes: SessionAttributes;
  }
}

function sqliteAdapter(db: Db): Adapter {
  const toSession = (r: { id: string; userId: string; expiresAt: number; createdAt: number; clientAddress: string }): DatabaseSession => ({
    id: r.id,
    userId: r.userId,
    expiresAt: new Date(r.expiresAt),
    attributes: { createdAt: r.createdAt, clientAddress: r.clientAddress },
  });
  const SESSION_COLUMNS = 'id, user_id AS userId, expires_at AS expiresAt, created_at AS createdAt, client_address AS clientAddress';
  return {
    async getSessionAndUser(sessionId) {
      const s = stmt(db, `SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = ?`).get(sessionId) as Parameters<typeof toSession>[0] | undefined;
      if (!s) return [null, null];
      const u = stmt(
        db,
        `SELECT id, username, display_name AS displayName, role, region_code AS regionCode,
           must_change_password AS mustChangePassword, disabled FROM users WHERE id = ? AND disabled = 0`,
      ).get(s.userId) as (UserAttributes & { id: string }) | undefined;
      const user: DatabaseUser | null = u
        ? { id: u.id, attributes: { ...u, mustChangePassword: Boolean(u.mustChangePassword), disabled: Boolean(u.disabled) } }
        : null;
      return [toSession(s), user];
    },
    async getUserSessions(userId) {
      return (stmt(db, `SELECT ${SESSION_COLUMNS} FROM sessions WHERE user_id = ?`).all(userId) as Parameters<typeof toSession>[0][]).map(toSession);
    },
    async setSession(session) {
      stmt(db, 'INSERT INTO sessions (id, user_id, expires_at, created_at, client_address) VALUES (?, ?, ?, ?, ?)').run(
        session.id,
        session.userId,
        session.expiresAt.getTime(),
        session.attributes.createdAt,
        session.attributes.clientAddress,
      );
    },
    async updateSessionExpiration(sessionId, expiresAt) {
      stmt(db, 'UPDATE sessions SET expires_at = ? WHERE id = ?').run(expiresAt.getTime(), sessionId);
    },
    async deleteSession(sessionId) {
      stmt(db, 'DELETE FROM sessions WHERE id = ?').run(sessionId);
    },
    async deleteUserSessions(userId) {
      stmt(db, 'DELETE FROM sessions WHERE user_id = ?').run(userId);
    },
    async deleteExpiredSessions() {
      stmt(db, 'DELETE FROM sessions WHERE expires_at <= ?').run(Date.now());
    },
  };
}

export interface SessionCookie {
  name: string;
  value: string;
  attributes: { httpOnly?: boolean; secure?: boolean; sameSite?: 'lax' | 'strict' | 'none'; path?: string; maxAge?: number };
}

function secureCookies(): boolean {
  return configuredOrigin()?.startsWith('https:') ?? false;
}

function createAuth(db: Db) {
  const adapter = sqliteAdapter(db);
  const lucia = new Lucia(adapter, {
    sessionExpiresIn: new TimeSpan(IDLE_TIMEOUT_MS / 60000, 'm'),
    // The cookie lives with the browser session; expiry is enforced on the server.
    sessionCookie: { name: 'xiangxin_session', expires: false, attributes: { secure: secureCookies(), sameSite: 'lax' } },
    getUserAttributes: (a) => a,
    getSessionAttributes: (a) => a,
  });

  return {
    cookieName: lucia.sessionCookieName,

    /** A new session with a new random id (never reuse an id across a sign-in). */
    async create(userId: string, clientAddress: string): Promise<SessionCookie> {
      const session = await lucia.createSession(userId, { createdAt: Date.now(), clientAddress });
      return lucia.createSessionCookie(session.id);
    },

    /** The signed-in user for a session id, applying the idle and absolute timeouts. */
    async validate(sessionId: string): Promise<{ user: SessionUser; sessionId: string } | null> {
      const { session, user } = await lucia.validateSession(sessionId);
      if (!session) return null;
      const now = Date.now();
      if (now - session.createdAt >= ABSOLUTE_TIMEOUT_MS) {
        await lucia.invalidateSession(session.id);
        return null;
      }
      if (now + IDLE_TIMEOUT_MS - session.expiresAt.getTime() > EXTEND_AFTER_MS) {
        await adapter.updateSessionExpiration(session.id, new Date(now + IDLE_TIMEOUT_MS));
      }
      const { id, username, displayName, role, regionCode, mustChangePassword, disabled } = user;
      return { user: { id, username, displayName, role, regionCode, mustChangePassword, disabled }, sessionId: session.id };
    },

    async invalidate(sessionId: string): Promise<void> {
      await lucia.invalidateSession(sessionId);
    },

    async deleteExpired(): Promise<void> {
      await lucia.deleteExpiredSessions();
    },

    blankCookie(): SessionCookie {
      return lucia.createBlankSessionCookie();
    },
  };
}

export type Auth = ReturnType<typeof createAuth>;
export const auth = perConnection(createAuth);
