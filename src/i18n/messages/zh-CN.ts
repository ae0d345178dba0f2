/** Default catalogue, one file per domain under ./zh-CN; every other language mirrors its keys. */
import { auth } from './zh-CN/auth.ts';
import { common } from './zh-CN/common.ts';
import { articles } from './zh-CN/articles.ts';
import { regions } from './zh-CN/regions.ts';
import { search } from './zh-CN/search.ts';

export const zhCN = { ...common, ...regions, ...auth, ...articles, ...search } as const;

export type MessageKey = keyof typeof zhCN;
