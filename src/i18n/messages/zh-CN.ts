/** Default catalogue, one file per domain under ./zh-CN; every other language mirrors its keys. */
import { auth } from './zh-CN/auth.ts';
import { common } from './zh-CN/common.ts';
import { listings } from './zh-CN/listings.ts';
import { regions } from './zh-CN/regions.ts';
import { reports } from './zh-CN/reports.ts';

export const zhCN = { ...common, ...regions, ...auth, ...listings, ...reports } as const;

export type MessageKey = keyof typeof zhCN;
