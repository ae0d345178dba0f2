import type { Db } from '../db/index.ts';
import { insertLibraryFile, prepareDocument } from './library.ts';
import { samplePdf } from './samplePdf.ts';
import type { ArticleKind, LibraryCategory } from './types.ts';
import { insertArticle } from './write.ts';

/**
 * Sample articles, notices and library documents written for this project. Place names and crops
 * are real for 商丘; the texts are illustrations, marked 示例 in every title.
 */
interface SampleArticle {
  region: string;
  kind: ArticleKind;
  title: string;
  summary?: string;
  body: string;
  pinned?: boolean;
}

const ARTICLES: SampleArticle[] = [
  {
    region: '4114',
    kind: 'notice',
    pinned: true,
    title: '（示例）关于做好夏粮收购和秸秆禁烧工作的通知',
    summary: '麦收期间请各乡镇信息站及时发布收购点、烘干点和农机作业信息。',
    body: '各县（市、区）信息服务中心、各乡镇信息服务站：\n\n夏收将至，请做好以下工作：\n\n1. 每天更新本地小麦收购点和收购价格；\n2. 公布农机跨区作业联系电话；\n3. 宣传秸秆还田和禁烧要求。\n\n*本文为示例内容。*',
  },
  {
    region: '4114',
    kind: 'notice',
    title: '（示例）乡信农村信息服务门户试运行公告',
    body: '乡信门户开始试运行。群众可以在手机上查看本村农副特产品、市场价格、培训安排和通知公告，也可以到村信息服务点请信息员代为查询。\n\n*本文为示例内容。*',
  },
  {
    region: '4114',
    kind: 'technical',
    title: '（示例）小麦赤霉病防治要点',
    summary: '抽穗扬花期遇连阴雨要及时喷药预防。',
    body: '## 发病条件\n\n小麦抽穗扬花期如遇连续阴雨、气温在 15℃ 以上，赤霉病容易流行。\n\n## 防治方法\n\n- 见花打药：扬花初期第一次喷药，间隔 5–7 天再喷一次；\n- 选用对路药剂，轮换使用，避免抗药性；\n- 喷药后 6 小时内遇雨要补喷。\n\n*本文为示例内容，用药请咨询当地农技人员。*',
  },
  {
    region: '4114',
    kind: 'market',
    title: '（示例）本周主要农产品价格走势',
    body: '本周全市小麦收购价格平稳，玉米小幅上涨；蔬菜中辣椒、大蒜价格走高，白菜价格回落。\n\n具体价格以各收购点当天挂牌为准。\n\n*本文为示例内容。*',
  },
  {
    region: '4114',
    kind: 'policy',
    title: '（示例）耕地地力保护补贴问答',
    body: '**问：补贴发给谁？**\n\n答：原则上发给拥有耕地承包权的种地农民。\n\n**问：怎么领取？**\n\n答：通过“一卡通”直接发放，可到村信息服务点查询到账情况。\n\n*本文为示例内容，以正式文件为准。*',
  },
  {
    region: '4114',
    kind: 'livelihood',
    title: '（示例）城乡居民医保缴费指南',
    body: '城乡居民医保每年集中缴费。可以通过手机银行、税务缴费小程序缴纳，也可以请村信息员协助办理。\n\n*本文为示例内容。*',
  },
  {
    region: '411423',
    kind: 'technical',
    title: '（示例）酥梨疏花疏果与套袋技术',
    summary: '花后两周定果，每花序留一个果，套袋前喷一遍杀菌杀虫剂。',
    body: '宁陵金顶谢花酥梨个大、皮薄、汁多。要想果品好，关键在疏果和套袋：\n\n1. 花后 10–15 天定果，每个花序只留一个边果；\n2. 果间距保持 20 厘米左右；\n3. 套袋前喷一遍杀菌杀虫剂，药液干后当天套完。\n\n*本文为示例内容。*',
  },
  {
    region: '411423',
    kind: 'notice',
    title: '（示例）梨园病虫害统防统治通知',
    body: '县植保站将组织梨园病虫害统防统治，请各乡镇信息服务站通知梨农登记地块。\n\n*本文为示例内容。*',
  },
  {
    region: '411424',
    kind: 'technical',
    title: '（示例）三樱椒育苗移栽技术',
    body: '柘城是有名的辣椒之乡。三樱椒育苗宜用穴盘，苗龄 50 天左右、8–10 片真叶时移栽，每亩栽 1 万株左右，缓苗后及时中耕。\n\n*本文为示例内容。*',
  },
  {
    region: '411424',
    kind: 'market',
    title: '（示例）辣椒大市场近期行情',
    body: '近期干椒上市量增加，三樱椒统货价格稳中有升，精品椒价格坚挺。椒农可分级销售，提高收益。\n\n*本文为示例内容。*',
  },
  {
    region: '411426',
    kind: 'technical',
    title: '（示例）平菇棚室栽培要点',
    body: '夏邑食用菌产业发展快。平菇栽培要点：\n\n- 原料：玉米芯、棉籽壳发酵要充分；\n- 出菇期：棚内湿度保持 85%–90%，多通风；\n- 采收：菌盖边缘稍内卷时采收。\n\n*本文为示例内容。*',
  },
  {
    region: '411402',
    kind: 'notice',
    title: '（示例）农民手机应用技能培训报名通知',
    body: '区信息服务中心将举办手机上网和电商销售培训，请到所在乡镇信息服务站报名。\n\n*本文为示例内容。*',
  },
  {
    region: '411402001',
    kind: 'notice',
    title: '（示例）信息服务站周六开放通知',
    body: '自下月起，信息服务站周六上午照常开放，方便群众查询信息、打印资料。\n\n*本文为示例内容。*',
  },
  {
    region: '411402001',
    kind: 'livelihood',
    title: '（示例）社区义诊活动安排',
    body: '街道卫生服务中心将到新区社区开展义诊，测量血压、血糖，免费咨询。\n\n*本文为示例内容。*',
  },
];

const LIBRARY: { township: string; title: string; category: LibraryCategory; date: string; filename: string; lines: string[] }[] = [
  {
    township: '411402001',
    title: '（示例）小麦病虫害防治明白纸',
    category: 'technical',
    date: '2026-04-10',
    filename: '小麦病虫害防治明白纸.pdf',
    lines: ['Sample document (Xiangxin)', 'Wheat pests and diseases: a one-page guide', 'Scab: spray at early flowering, repeat after 5-7 days.'],
  },
  {
    township: '411402001',
    title: '（示例）信息服务站服务项目清单',
    category: 'livelihood',
    date: '2026-03-01',
    filename: '信息服务站服务项目清单.pdf',
    lines: ['Sample document (Xiangxin)', 'Services of the township information station', 'Price lookup, printing, online sales help.'],
  },
  {
    township: '411423101',
    title: '（示例）酥梨周年管理历',
    category: 'technical',
    date: '2026-02-20',
    filename: '酥梨周年管理历.pdf',
    lines: ['Sample document (Xiangxin)', 'Pear orchard calendar for Ningling', 'Thin fruit two weeks after bloom; bag before June.'],
  },
  {
    township: '411424001',
    title: '（示例）辣椒分级收购标准',
    category: 'market',
    date: '2026-09-05',
    filename: '辣椒分级收购标准.pdf',
    lines: ['Sample document (Xiangxin)', 'Chili grading for purchase in Zhecheng', 'Grade by colour, length and moisture.'],
  },
];

const DAY = 24 * 3600_000;

export function seedArticles(db: Db): void {
  const now = Date.now();
  ARTICLES.forEach((a, i) => {
    insertArticle(
      db,
      { regionCode: a.region, kind: a.kind, title: a.title, summary: a.summary ?? '', bodyMd: a.body, status: 'published', pinned: a.pinned ?? false },
      null,
      now - i * DAY,
    );
  });
  for (const doc of LIBRARY) {
    insertLibraryFile(
      db,
      { townshipCode: doc.township, title: doc.title, category: doc.category, docDate: doc.date },
      prepareDocument({ name: doc.filename, bytes: samplePdf(doc.lines) }),
      null,
    );
  }
}
