/** Default catalogue, one file per domain under ./zh-CN; every other language mirrors its keys. */
import { auth } from './zh-CN/auth.ts';
import { common } from './zh-CN/common.ts';
import { prices } from './zh-CN/prices.ts';
import { regions } from './zh-CN/regions.ts';

export const zhCN = { ...common, ...regions, ...auth, ...prices } as const;

export type MessageKey = keyof typeof zhCN;
