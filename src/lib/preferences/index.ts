import type { APIContext } from 'astro';
import { z } from 'zod';
import type { Db } from '../db/index.ts';
import { formFields } from '../validation/formFields.ts';
import { safeNextPath } from '../validation/redirect.ts';
import { type Region, regionAt, regionHref } from '../regions/index.ts';

/**
 * Reader preferences kept in plain cookies on this device: the text size and "my village".
 * They are not secret, so scripts may read them; they are never tied to an account.
 */
export const TEXT_SIZE_COOKIE = 'textsize';
export const MY_VILLAGE_COOKIE = 'myvillage';
export const TEXT_SIZES = ['standard', 'large'] as const;
export type TextSize = (typeof TEXT_SIZES)[number];

const ONE_YEAR = 60 * 60 * 24 * 365;
const VILLAGE_CODE = /^\d{12}$/;

export function parseTextSize(cookie: string | undefined): TextSize {
  return cookie === 'large' ? 'large' : 'standard';
}

/** The village code in the cookie, if it is shaped like one; whether it exists is the caller's question. */
export function myVillageCode(cookie: string | undefined): string | undefined {
  return cookie && VILLAGE_CODE.test(cookie) ? cookie : undefined;
}

export function myVillage(db: Db, cookie: string | undefined): Region | undefined {
  const code = myVillageCode(cookie);
  return code ? regionAt(db, 'village', code) : undefined;
}

export function myVillageHref(cookie: string | undefined): string | undefined {
  const code = myVillageCode(cookie);
  return code ? regionHref({ level: 'village', code }) : undefined;
}

/** Where to send the reader back to: a path on this site, else the home page. */
export function returnPath(value: string | undefined): string {
  return safeNextPath(value, '/');
}

/** A validated change: set (or, with `value` undefined, forget) one cookie, then go back. */
export interface PreferenceChange {
  cookie: string;
  value: string | undefined;
  returnTo: string;
}

const textSizeForm = z.object({ size: z.enum(TEXT_SIZES), return: z.string().optional() });
const myVillageForm = z.object({ village: z.union([z.literal(''), z.string().regex(VILLAGE_CODE)]), return: z.string().optional() });

export function textSizeChange(form: FormData | undefined): PreferenceChange | undefined {
  const parsed = textSizeForm.safeParse(form ? formFields(form) : {});
  if (!parsed.success) return undefined;
  const { size, return: back } = parsed.data;
  return { cookie: TEXT_SIZE_COOKIE, value: size === 'large' ? size : undefined, returnTo: returnPath(back) };
}

/** An empty `village` forgets the choice; any other value must be a village that exists. */
export function myVillageChange(db: Db, form: FormData | undefined): PreferenceChange | undefined {
  const parsed = myVillageForm.safeParse(form ? formFields(form) : {});
  if (!parsed.success) return undefined;
  const { village, return: back } = parsed.data;
  if (village && !regionAt(db, 'village', village)) return undefined;
  return { cookie: MY_VILLAGE_COOKIE, value: village || undefined, returnTo: returnPath(back) };
}

/** Applies a change (a localized 400 when there is none) and sends the reader back with a 303. */
export function preferenceResponse(context: APIContext, change: PreferenceChange | undefined): Response {
  if (!change) {
    return new Response(context.locals.t('access.error.badPreference'), { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  if (change.value === undefined) context.cookies.delete(change.cookie, { path: '/' });
  else context.cookies.set(change.cookie, change.value, { path: '/', maxAge: ONE_YEAR, sameSite: 'lax' });
  return context.redirect(change.returnTo, 303);
}
