import type { APIRoute } from 'astro';
import { getDb } from '../../lib/db/index.ts';
import { readForm } from '../../lib/http/form.ts';
import { myVillageChange, preferenceResponse } from '../../lib/preferences/index.ts';

/** 设为我的村 / 取消我的村 on a village page. */
export const POST: APIRoute = async (context) => preferenceResponse(context, myVillageChange(getDb(), await readForm(context.request)));
