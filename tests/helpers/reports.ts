import type { Actor } from '../../src/lib/auth/can.ts';
import type { Db } from '../../src/lib/db/index.ts';
import { fileReport, type Report } from '../../src/lib/reports/index.ts';

/** Valid report form fields as an officer would type them. */
export function reportFields(regionCode: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    title: '东街村小麦播种进度',
    category: 'work',
    bodyMd: '全村小麦播种已完成八成，预计本周末全部完成。',
    regionCode,
    ...extra,
  };
}

/** Files a report from the actor's own unit, without files. */
export function fileAs(db: Db, actor: Actor, extra: Record<string, string> = {}): Report {
  return fileReport(db, { actor, clientAddress: '192.0.2.1' }, { fields: reportFields(actor.regionCode, extra), uploads: [], attachments: [] });
}
