/**
 * Sample questions for a new portal, written for this project and marked as samples: answered by
 * the console acting as a township station or a county office, so /qa, the API and the region
 * pages have something to show. The asker's number is a landline of no one (no SMS goes out).
 */
import type { Actor } from '../auth/can.ts';
import type { Db } from '../db/index.ts';
import { one } from '../db/statements.ts';
import type { SeedStep } from '../seed/step.ts';
import { answerQuestion, askQuestion, forwardQuestion } from './index.ts';
import type { QuestionCategory } from './types.ts';

interface Sample {
  category: QuestionCategory;
  title: string;
  body: string;
  /** Who answers: the township, the county after it was sent up, or nobody yet. */
  answeredAt: 'township' | 'county' | 'open';
  answer: string;
}

const SAMPLES: Sample[] = [
  {
    category: 'planting',
    title: '小麦返青后叶尖发黄怎么办',
    body: '返青以后麦田里一片一片叶尖发黄，前段时间浇过一次水。',
    answeredAt: 'township',
    answer: '多为缺氮或冻害所致。先查根系：根白、新叶正常的追施尿素每亩 5 公斤左右；冻害的叶面喷磷酸二氢钾。',
  },
  {
    category: 'livestock',
    title: '母猪产后不吃食是什么原因',
    body: '母猪下崽第二天开始不怎么吃食，精神也不好。',
    answeredAt: 'county',
    answer: '先量体温。发烧的多为产后感染，请兽医检查后用药；不发烧的可少喂勤添，饮水里加些电解多维。',
  },
  {
    category: 'policy',
    title: '耕地地力保护补贴怎么申请',
    body: '今年新承包了二十亩地，不知道补贴要去哪里登记。',
    answeredAt: 'township',
    answer: '补贴按承包地面积发放，由村里统计上报。请带身份证和承包合同到村委会登记，乡镇财政所核实后打卡发放。',
  },
  { category: 'market', title: '红薯现在卖还是储存到春节再卖', body: '家里收了五千斤红薯，地窖能放。', answeredAt: 'open', answer: '' },
];

const COUNTIES = ['411402', '411426'];
const PICK_VILLAGE = `SELECT code FROM regions WHERE level = 'village' AND code >= ? AND code < ? ORDER BY code LIMIT 1 OFFSET ?`;

/** The console acting as the office of a township or county. */
const office = (code: string): { actor: Actor; clientAddress: string } => ({
  actor: { id: '', username: 'console', role: code.length === 9 ? 'station_manager' : 'county_staff', regionCode: code },
  clientAddress: 'seed',
});

export const sampleQuestionsStep: SeedStep = {
  name: 'sample-questions',
  run(db: Db) {
    COUNTIES.forEach((county, ci) => {
      SAMPLES.forEach((sample, si) => {
        const village = one<{ code: string }>(db, PICK_VILLAGE, county, `${county}:`, 5 + si * 7 + ci)?.code;
        if (!village) return;
        const q = askQuestion(db, {
          fields: { phone: '0370-0000000', villageCode: village, category: sample.category, title: `（示例）${sample.title}`, body: sample.body, consent: 'on' },
          uploads: [],
        });
        if (sample.answeredAt === 'open') return;
        const answer = { answerMd: `${sample.answer}\n\n*这是乡信自带的示例问答，用于演示农民问答流程。*` };
        if (sample.answeredAt === 'county') {
          forwardQuestion(db, office(village.slice(0, 9)), q.id);
          answerQuestion(db, office(county), q.id, answer);
        } else answerQuestion(db, office(village.slice(0, 9)), q.id, answer);
      });
    });
  },
};
