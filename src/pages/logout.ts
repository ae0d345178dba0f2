import type { APIRoute } from 'astro';
import { signOut } from '../lib/auth/signIn.ts';
import { auth } from '../lib/auth/session.ts';
import { getDb } from '../lib/db/index.ts';

export const POST: APIRoute = async ({ locals, cookies, redirect }) => {
  const db = getDb();
  if (locals.user && locals.sessionId) await signOut(db, locals.sessionId, locals.user, locals.clientAddress);
  // Leaving at the second-factor step: that half-signed-in session goes too.
  else if (locals.secondFactorSessionId) await auth(db).invalidate(locals.secondFactorSessionId);
  const blank = auth(db).blankCookie(locals.listener);
  cookies.set(blank.name, blank.value, blank.attributes);
  return redirect('/', 303);
};
