import { access } from './en/access.ts';
import { articles } from './en/articles.ts';
import { auditChain } from './en/auditChain.ts';
import { auth } from './en/auth.ts';
import { boards } from './en/boards.ts';
import { cli } from './en/cli.ts';
import { common } from './en/common.ts';
import { coverage } from './en/coverage.ts';
import { listings } from './en/listings.ts';
import { messages } from './en/messages.ts';
import { messagesAdmin } from './en/messagesAdmin.ts';
import { notify } from './en/notify.ts';
import { questions } from './en/questions.ts';
import { opendata } from './en/opendata.ts';
import { prices } from './en/prices.ts';
import { regions } from './en/regions.ts';
import { reports } from './en/reports.ts';
import { reportsPlus } from './en/reportsPlus.ts';
import { reportsPlus2 } from './en/reportsPlus2.ts';
import { departments } from './en/departments.ts';
import { search } from './en/search.ts';
import { subscriptions } from './en/subscriptions.ts';
import { villageAffairs } from './en/villageAffairs.ts';
import { trainings } from './en/trainings.ts';
import { usage } from './en/usage.ts';
import { wanted } from './en/wanted.ts';
import { separation } from './en/separation.ts';
import { secadmin } from './en/secadmin.ts';
import { facts } from './en/facts.ts';
import { directory } from './en/directory.ts';
import type { MessageKey } from './zh-CN.ts';
import { security } from './en/security.ts';

export const en: Record<MessageKey, string> = {
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
};
