import { auth } from './en/auth.ts';
import { common } from './en/common.ts';
import { prices } from './en/prices.ts';
import { regions } from './en/regions.ts';
import type { MessageKey } from './zh-CN.ts';

export const en: Record<MessageKey, string> = { ...common, ...regions, ...auth, ...prices };
