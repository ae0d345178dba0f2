/**
 * Sample directory entries for a new portal, written for this project and labelled as samples:
 * the names are made up, no credit code (a sample must not claim a real registration) and no
 * phone. The chili cooperative is named as the seller of the sample chili listing of its county.
 */
import { CONSOLE } from '../auth/users.ts';
import type { Db } from '../db/index.ts';
import { one, stmt } from '../db/statements.ts';
import type { SeedStep } from '../seed/step.ts';
import { entitySchema, writeEntity } from './index.ts';

/** 睢县: its sample listings include 三樱椒 (see listings/sample.ts). */
const COUNTY = '411422';

const SAMPLES = [
  { kind: 'cooperative', name: '（示例）辣椒种植专业合作社', tags: '辣椒 三樱椒', description: '示例条目：社员种植三樱椒，统一收购、晾晒、分级销售。' },
  { kind: 'family_farm', name: '（示例）果蔬家庭农场', tags: '西瓜 大蒜', description: '示例条目：露地西瓜和大蒜轮作。' },
  { kind: 'expert', name: '（示例）县农技推广专家组', tags: '辣椒 小麦 病虫害', description: '示例条目：为农户解答栽培和病虫害防治问题。' },
] as const;

export const sampleDirectoryStep: SeedStep = {
  name: 'sample-directory',
  run(db: Db) {
    const ctx = { actor: CONSOLE, clientAddress: 'seed' };
    const chili = one<{ id: number; villageCode: string }>(
      db,
      `SELECT listing_id AS id, village_code AS villageCode FROM listing_public WHERE village_code LIKE ? || '%' AND title LIKE '%三樱椒%' ORDER BY listing_id LIMIT 1`,
      COUNTY,
    );
    const place = chili?.villageCode ?? one<{ code: string }>(db, 'SELECT code FROM regions WHERE code = ?', COUNTY)?.code;
    if (!place) return;
    const now = Date.now();
    SAMPLES.forEach((s, i) => {
      const id = writeEntity(db, ctx, null, entitySchema.parse({ ...s, regionCode: i === 0 ? place : COUNTY }), 'approved', now + i);
      if (i === 0 && chili) {
        stmt(db, 'UPDATE listings SET seller_entity_id = ?, seller_type = ? WHERE id = ?').run(id, 'cooperative', chili.id);
        stmt(db, 'UPDATE listing_public SET seller_entity_id = ?, seller_type = ? WHERE listing_id = ?').run(id, 'cooperative', chili.id);
      }
    });
  },
};
