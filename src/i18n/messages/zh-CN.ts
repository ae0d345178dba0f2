/** Default catalogue, one file per domain under ./zh-CN; every other language mirrors its keys. */
import { access } from './zh-CN/access.ts';
import { articles } from './zh-CN/articles.ts';
import { auditChain } from './zh-CN/auditChain.ts';
import { auth } from './zh-CN/auth.ts';
import { boards } from './zh-CN/boards.ts';
import { cli } from './zh-CN/cli.ts';
import { common } from './zh-CN/common.ts';
import { coverage } from './zh-CN/coverage.ts';
import { listings } from './zh-CN/listings.ts';
import { messages } from './zh-CN/messages.ts';
import { messagesAdmin } from './zh-CN/messagesAdmin.ts';
import { notify } from './zh-CN/notify.ts';
import { questions } from './zh-CN/questions.ts';
import { opendata } from './zh-CN/opendata.ts';
import { prices } from './zh-CN/prices.ts';
import { regions } from './zh-CN/regions.ts';
import { reports } from './zh-CN/reports.ts';
import { reportsPlus } from './zh-CN/reportsPlus.ts';
import { reportsPlus2 } from './zh-CN/reportsPlus2.ts';
import { departments } from './zh-CN/departments.ts';
import { search } from './zh-CN/search.ts';
import { subscriptions } from './zh-CN/subscriptions.ts';
import { villageAffairs } from './zh-CN/villageAffairs.ts';
import { trainings } from './zh-CN/trainings.ts';
import { usage } from './zh-CN/usage.ts';
import { wanted } from './zh-CN/wanted.ts';
import { separation } from './zh-CN/separation.ts';
import { secadmin } from './zh-CN/secadmin.ts';
import { security } from './zh-CN/security.ts';
import { facts } from './zh-CN/facts.ts';
import { directory } from './zh-CN/directory.ts';

export const zhCN = {
  ...common,
  ...regions,
  ...auth,
  ...listings,
  ...trainings,
  ...articles,
  ...search,
  ...prices,
  ...reports,
  ...reportsPlus,
  ...reportsPlus2,
  ...departments,
  ...access,
  ...boards,
  ...opendata,
  ...cli,
  ...messages,
  ...messagesAdmin,
  ...notify,
  ...subscriptions,
  ...questions,
  ...coverage,
  ...villageAffairs,
  ...usage,
  ...wanted,
  ...auditChain,
  ...separation,
  ...secadmin,
  ...security,
  ...facts,
  ...directory,
} as const;

export type MessageKey = keyof typeof zhCN;
