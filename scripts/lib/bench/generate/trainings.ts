/**
 * Three years of training sessions and the next three months, with their sign-ups: the rows
 * createSession, signUp, completeSession/cancelSession and check-in leave.
 */
import type { Db } from '../../../../src/lib/db/index.ts';
import { random } from '../../../../src/lib/prices/seed.ts';
import { REF_ALPHABET, REF_LENGTH } from '../../../../src/lib/trainings/schemas.ts';
import { between, fakePhone, personName, pick, type Random } from '../text.ts';
import { auditWriter, codesAt, DAY, inChunks } from './common.ts';
import { bulkIndexer } from './search.ts';
import { many } from '../../../../src/lib/db/statements.ts';

const COURSES: [string, string][] = [
  ['小麦病虫害绿色防控', '小麦植保'],
  ['大蒜高产栽培', '蔬菜种植'],
  ['农村电商直播带货', '农村电商'],
  ['智能手机查行情', '信息技术'],
  ['辣椒育苗与移栽', '蔬菜种植'],
  ['梨树整形修剪', '果树管理'],
  ['肉羊科学养殖', '畜牧养殖'],
  ['农机安全操作', '农业机械'],
];

const PAST_YEARS = 3;
const AHEAD_DAYS = 90;

function refCodes(next: Random, count: number): string[] {
  const codes = new Set<string>();
  while (codes.size < count) codes.add(Array.from({ length: REF_LENGTH }, () => REF_ALPHABET[Math.floor(next() * REF_ALPHABET.length)]).join(''));
  return [...codes];
}

export function generateTrainings(db: Db, count: number, seed: number, now = Date.now()): void {
  const next = random(seed);
  const counties = codesAt(db, 'county');
  const villages = codesAt(db, 'village');
  const villagesOf = new Map(counties.map((c) => [c, villages.filter((v) => v.startsWith(c))]));
  const bases = new Map(
    many<{ code: string; name: string; address: string }>(db, 'SELECT county_code AS code, name, address FROM training_bases').map((b) => [
      b.code,
      `${b.name} ${b.address}`.trim(),
    ]),
  );
  const audit = auditWriter(db);
  const index = bulkIndexer(db);
  const session = db.prepare(
    `INSERT INTO training_sessions (county_code, title, topic, description_md, trainer, location, starts_at, ends_at, capacity, signup_deadline,
       status, cancel_note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const signup = db.prepare(
    `INSERT INTO training_signups (session_id, name, phone, village_code, ref_code, status, attended_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const span = PAST_YEARS * 365 * DAY + AHEAD_DAYS * DAY;
  let phones = 0;

  inChunks(
    db,
    count,
    () => {
      const county = pick(next, counties);
      const [course, topic] = pick(next, COURSES);
      const title = `${course}（第${between(next, 1, 30)}期）`;
      const description = `${topic}培训，讲解${course}的要点，现场答疑。\n\n*性能测试生成的数据。*`;
      const trainer = `县农技推广中心 ${personName(next)}`;
      const location = next() < 0.7 ? '' : `${pick(next, villagesOf.get(county)!)} 村委会会议室`;
      const startsAt = now + AHEAD_DAYS * DAY - Math.floor(next() * span);
      const endsAt = startsAt + between(next, 2, 4) * 3600_000;
      const capacity = between(next, 30, 100);
      const past = endsAt < now;
      const roll = next();
      const status = roll < 0.05 ? 'cancelled' : past && roll < 0.9 ? 'completed' : 'scheduled';
      const createdAt = startsAt - between(next, 10, 30) * DAY;
      const id = Number(
        session.run(
          county,
          title,
          topic,
          description,
          trainer,
          location,
          startsAt,
          endsAt,
          capacity,
          startsAt - DAY,
          status,
          status === 'cancelled' ? '因天气原因取消' : '',
          createdAt,
          createdAt,
        ).lastInsertRowid,
      );
      audit(createdAt, 'training.create', 'training', id, county, title);
      if (status === 'scheduled') {
        const body = [topic, trainer, location || bases.get(county) || '', description].filter(Boolean).join('\n');
        index.add({ type: 'training', id: String(id), title, body, regionCode: county, url: `/trainings/${id}` });
      }

      const people = Math.floor(capacity * (past ? 0.3 + next() : 0.1 + next() * 0.7));
      let confirmed = 0;
      for (const ref of refCodes(next, people)) {
        const at = createdAt + Math.floor(next() * (startsAt - DAY - createdAt));
        const state = next() < 0.08 ? 'cancelled' : confirmed < capacity ? 'confirmed' : 'waitlisted';
        if (state === 'confirmed') confirmed++;
        const attended = status === 'completed' && state === 'confirmed' && next() < 0.85 ? startsAt : null;
        signup.run(id, personName(next), fakePhone(++phones), pick(next, villagesOf.get(county)!), ref, state, attended, at, attended ?? at);
      }
    },
    index.flush,
    1_000,
  );
}
