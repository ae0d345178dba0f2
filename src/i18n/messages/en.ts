import { auth } from './en/auth.ts';
import { common } from './en/common.ts';
import { articles } from './en/articles.ts';
import { regions } from './en/regions.ts';
import { search } from './en/search.ts';
import type { MessageKey } from './zh-CN.ts';

export const en: Record<MessageKey, string> = { ...common, ...regions, ...auth, ...articles, ...search };
