import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/lib/auth/can.ts';
import { openDatabase, type Db } from '../../../src/lib/db/index.ts';
import { UserError } from '../../../src/lib/errors.ts';
import { requireUser, runAction, type ActionSpec, type IntentSpec } from '../../../src/lib/http/actions.ts';
import { tempDir } from '../../helpers/tempDb.ts';

const actor: Actor = { id: 'u1', username: 'county-staff', role: 'county_staff', regionCode: '411402' };

/** The slice of Astro's page object the helper uses: the request, a settable status and redirect(). */
function page(body?: BodyInit, contentType = 'application/x-www-form-urlencoded', method = 'POST') {
  const request = new Request('http://localhost/admin/x', { method, headers: body === undefined ? {} : { 'content-type': contentType }, body });
  return { request, response: { status: 200, headers: new Headers() }, redirect: (to: string, status?: number) => new Response(null, { status, headers: { location: to } }) };
}

describe('runAction, the one admin POST pipeline', () => {
  const tmp = tempDir();
  let db: Db;
  const calls: string[] = [];
  const ctx = { actor, clientAddress: '127.0.0.9' };
  const spec = {
    intents: {
      save: { handler: ({ fields }) => (calls.push(`save:${fields.title ?? ''}`), 'saved') },
      close: { permission: { action: 'training.manage', regionCode: '411403' }, handler: () => (calls.push('close'), 'closed') },
    },
    defaultIntent: 'save',
    done: ({ intent, data }: { intent: string; data: string }) => `/admin/x?${intent}=${data}`,
  } satisfies ActionSpec<Record<'save' | 'close', IntentSpec<string>>>;
  const denied = () => db.prepare(`SELECT entity, region_code AS regionCode FROM audit_log WHERE action = 'auth.denied'`).all();
  const auditRows = () => (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;

  beforeAll(() => {
    db = openDatabase(tmp.file('actions.sqlite'));
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  it('does nothing on a GET', async () => {
    const p = page(undefined, '', 'GET');
    const out = await runAction(p, db, ctx, spec);
    expect(out).toMatchObject({ posted: false, fields: {}, errors: {} });
    expect(calls).toEqual([]);
  });

  it('runs the named intent and redirects (303) to where `done` says', async () => {
    const p = page('intent=save&title=%E6%A2%A8');
    const out = await runAction(p, db, ctx, spec);
    expect(out.ok && out.intent).toBe('save');
    expect(out.redirect?.status).toBe(303);
    expect(out.redirect?.headers.get('location')).toBe('/admin/x?save=saved');
    expect(calls.splice(0)).toEqual(['save:梨']);
  });

  it('takes the default intent when the form names none', async () => {
    const out = await runAction(page('title=x'), db, ctx, spec);
    expect(out.ok && out.intent).toBe('save');
    expect(calls.splice(0)).toEqual(['save:x']);
  });

  it('refuses an unknown intent with 400 and a localized message, running no handler', async () => {
    for (const intent of ['delete', 'constructor', '__proto__', 'toString']) {
      const p = page(`intent=${intent}&title=x`);
      const out = await runAction(p, db, ctx, spec);
      expect(out.ok).toBe(false);
      expect(p.response.status).toBe(400);
      expect(out.errors).toEqual({ _form: 'error.unknownIntent' });
      // The typed values come back for re-display.
      expect(out.fields.title).toBe('x');
    }
    const noDefault = await runAction(page('title=x'), db, ctx, { ...spec, defaultIntent: undefined });
    expect(noDefault.errors).toEqual({ _form: 'error.unknownIntent' });
    expect(calls).toEqual([]);
  });

  it('refuses an unreadable body with 400 and a body that is no form with 415, never as field errors', async () => {
    const garbled = page(new Uint8Array([...Buffer.from('intent=save&title='), 0xc3, 0x28]));
    expect((await runAction(garbled, db, ctx, spec)).errors).toEqual({ _form: 'error.badRequest' });
    expect(garbled.response.status).toBe(400);
    const brokenMultipart = page('intent=save', 'multipart/form-data; boundary=b');
    expect((await runAction(brokenMultipart, db, ctx, spec)).errors).toEqual({ _form: 'error.badRequest' });
    expect(brokenMultipart.response.status).toBe(400);
    const json = page('{"intent":"save"}', 'application/json');
    expect((await runAction(json, db, ctx, spec)).errors).toEqual({ _form: 'error.unsupportedBody' });
    expect(json.response.status).toBe(415);
    expect(calls).toEqual([]);
  });

  it('refuses an intent the domain leaves out with the domain’s own refusal, before the handler', async () => {
    const p = page('intent=save');
    const out = await runAction(p, db, ctx, {
      ...spec,
      refuse: (intent) => {
        if (intent === 'save') throw new UserError('training.error.notScheduled', 409);
      },
    });
    expect(out.errors).toEqual({ _form: 'training.error.notScheduled' });
    expect(p.response.status).toBe(409);
    expect(calls).toEqual([]);
  });

  it('refuses an intent whose permission the actor lacks with 403 and writes the refusal to the audit log', async () => {
    const before = auditRows();
    const p = page('intent=close');
    const out = await runAction(p, db, ctx, spec);
    expect(out.errors).toEqual({ _form: 'error.forbidden' });
    expect(p.response.status).toBe(403);
    expect(calls).toEqual([]);
    expect(auditRows()).toBe(before + 1);
    expect(denied()).toEqual([{ entity: 'training.manage', regionCode: '411403' }]);
  });

  it('turns a UserError from the handler into a field error with its status', async () => {
    const p = page('intent=save&title=');
    const out = await runAction(p, db, ctx, {
      ...spec,
      intents: {
        ...spec.intents,
        save: {
          handler: () => {
            throw new UserError('validation.required', 400, 'title');
          },
        },
      },
    });
    expect(out.errors).toEqual({ title: 'validation.required' });
    expect(p.response.status).toBe(400);
    expect(out.redirect).toBeUndefined();
  });
});

describe('requireUser', () => {
  it('narrows the signed-in user and fails loudly when the middleware guard is missing', () => {
    const user = { ...actor, displayName: '', mustChangePassword: false };
    const locals = { user } as unknown as App.Locals;
    expect(requireUser(locals)).toBe(user);
    expect(() => requireUser({ user: null } as unknown as App.Locals)).toThrow(/middleware/);
  });
});
