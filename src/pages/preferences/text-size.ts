import type { APIRoute } from 'astro';
import { readForm } from '../../lib/http/form.ts';
import { preferenceResponse, textSizeChange } from '../../lib/preferences/index.ts';

/** The header's 大字/标准字 switch: a plain form, so it works without JavaScript. */
export const POST: APIRoute = async (context) => preferenceResponse(context, textSizeChange(await readForm(context.request)));
