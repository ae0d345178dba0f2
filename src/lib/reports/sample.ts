/**
 * Sample reports for a new portal, written for this project: the villages and seasons are real,
 * the events and texts are made up and marked as samples. They are filed and handled by the
 * console (no account), so the rankings show them as "sample data".
 */
import type { Actor } from '../auth/can.ts';
import { roleForLevel } from '../auth/roles.ts';
import type { Db } from '../db/index.ts';
import { one } from '../db/statements.ts';
import { levelOfCode } from '../regions/types.ts';
import type { SeedStep } from '../seed/step.ts';
import { adoptReport, fileReport, forwardReport, returnReport } from './index.ts';
import type { ReportCategory } from './types.ts';
import { createUnit } from './units.ts';

interface Sample {
  title: string;
  category: ReportCategory;
  text: string;
  /** How far up it goes and what happens there. */
  path: 'township' | 'county' | 'city' | 'returned';
}

const SAMPLES: Sample[] = [
  {
    title: '村里组织小麦秋播技术培训',
    category: 'work',
    text: '本周在村委会组织小麦秋播技术培训一场，县农技站专家讲解了精量播种和播后镇压，四十多位种植户参加。',
    path: 'township',
  },
  { title: '群众反映村东机耕路雨后难以通行', category: 'opinion', text: '连日降雨后，村东通往麦田的机耕路积水严重，农机难以下地，群众希望尽快修整排水沟。', path: 'county' },
  { title: '大蒜收购价较上月小幅回升', category: 'market', text: '据村内收购点了解，红皮大蒜收购价较上月每斤上涨约两角，外地客商明显增多。', path: 'city' },
  { title: '合作社统一代储辣椒的做法', category: 'practice', text: '村辣椒种植合作社统一租用冷库代储干辣椒，错峰销售，社员每斤多卖三到五角。', path: 'county' },
  { title: '局地出现玉米倒伏情况', category: 'disaster', text: '前晚大风过后，村西部分地块玉米出现倒伏，目前正在统计面积，已组织群众及时扶正。', path: 'returned' },
];

/** Villages in 梁园区, 睢阳区 and 夏邑县. */
const COUNTIES = ['411402', '411403', '411426'];

/** The console acting as the officer of a unit (reports need a unit to start from). */
function officerOf(code: string): Actor {
  const level = levelOfCode(code)!;
  return { id: '', username: 'console', role: roleForLevel(level), regionCode: code };
}

const PICK_VILLAGE = `SELECT code FROM regions WHERE level = 'village' AND code >= ? AND code < ? ORDER BY code LIMIT 1 OFFSET ?`;

export const sampleReportsStep: SeedStep = {
  name: 'sample-reports',
  run(db: Db) {
    COUNTIES.forEach((county, ci) => {
      SAMPLES.forEach((sample, si) => {
        const village = one<{ code: string }>(db, PICK_VILLAGE, county, `${county}:`, 3 + si * 11 + ci)?.code;
        if (!village) return;
        const report = fileReport(
          db,
          { actor: officerOf(village), clientAddress: 'seed' },
          {
            fields: {
              title: `（示例）${sample.title}`,
              category: sample.category,
              bodyMd: `${sample.text}\n\n*这是乡信自带的示例报送信息，用于演示信息报送流程，并非真实情况。*`,
              regionCode: village,
            },
            uploads: [],
            attachments: [],
          },
        );
        const at = (code: string) => ({ actor: officerOf(code), clientAddress: 'seed' });
        if (sample.path === 'returned') {
          returnReport(db, at(village.slice(0, 9)), report.id, { reason: '请补充倒伏面积和受灾户数后再报。' });
          return;
        }
        // Adopted at every level on the way, forwarded until it reaches the sample's last level.
        for (const code of [village.slice(0, 9), county, county.slice(0, 4)]) {
          adoptReport(db, at(code), report.id, { comment: '' });
          if (levelOfCode(code) === sample.path) return;
          forwardReport(db, at(code), report.id);
        }
      });
    });
  },
};

/** Two sample departments (no reporter accounts): a county bureau of 梁园区 and a city bureau, named as samples. */
export const sampleDepartmentsStep: SeedStep = {
  name: 'sample-departments',
  run(db: Db) {
    for (const [owner, name] of [
      ['411402', '县农业农村局（示例）'],
      ['4114', '市商务局（示例）'],
    ] as const) {
      createUnit(db, { actor: officerOf(owner), clientAddress: 'seed' }, { name });
    }
  },
};
