import type { Db } from '../db/index.ts';
import { stmt } from '../db/statements.ts';
import { childRegions, cityRegion } from '../regions/index.ts';
import { indexDocument } from '../search/index.ts';
import { today } from '../time.ts';
import { writeBase } from './bases.ts';
import { writeNotice } from './notices.ts';

const DAY = 24 * 3600_000;

/** Sample courses, written for this project; crops and places are the real ones of 商丘. */
const COURSES = [
  {
    title: '小麦赤霉病与条锈病防治',
    topic: '小麦植保',
    trainer: '县农技推广中心 王老师',
    hours: 3,
    text: '结合本地麦田，讲解抽穗扬花期的病害识别、用药时机和无人机飞防注意事项。',
  },
  { title: '大蒜种植与储藏技术', topic: '蔬菜种植', trainer: '县农科所 李老师', hours: 3, text: '从选种、覆膜到蒜薹采收和蒜头晾晒，讲清每一步的要点和常见失误。' },
  { title: '用手机开网店卖农产品', topic: '农村电商', trainer: '县电商服务中心 张老师', hours: 4, text: '手把手注册网店、拍商品照片、写介绍和发快递。请带上智能手机和身份证。' },
  {
    title: '智能手机查行情、查天气',
    topic: '信息技术',
    trainer: '县信息服务中心 刘老师',
    hours: 2,
    text: '学会在手机上查市场价格、天气预报和农业政策，适合第一次用智能手机的乡亲。',
  },
  { title: '辣椒育苗与病虫害防治', topic: '蔬菜种植', trainer: '县农技推广中心 赵老师', hours: 3, text: '讲解辣椒温室育苗、移栽密度和疫病、蚜虫的防治办法。' },
  { title: '梨树、桃树冬季修剪', topic: '果树管理', trainer: '县林业技术站 孙老师', hours: 3, text: '在果园现场示范修剪，讲解整形、疏枝和伤口保护。' },
] as const;

/**
 * One training base per county and, per county, sample sessions over the next months (relative
 * to the day the seed runs) and one notice. Every title carries the 【示例】 marker.
 */
export function seedTrainings(db: Db, now = Date.now()): void {
  const city = cityRegion(db);
  if (!city) return;
  const counties = childRegions(db, city.code);
  counties.forEach((county, countyIndex) => {
    writeBase(db, county.code, {
      name: `${county.shortName}农民信息培训基地（示例）`,
      address: `${county.shortName}农业服务中心三楼培训室（示例地址）`,
      contactName: '培训基地值班室（示例）',
      introMd: `本基地面向${county.shortName}农民开展种植养殖技术、农村电商和手机应用培训，免费参加。\n\n*此为示例内容。*`,
    });
    for (let n = 0; n < 3; n++) {
      const course = COURSES[(countyIndex + n * 2) % COURSES.length]!;
      // Spread over about three months, at 9:00 China time, on different days per county.
      const day = Math.floor((now + 8 * 3600_000) / DAY) * DAY - 8 * 3600_000;
      const startsAt = day + (7 + n * 30 + countyIndex * 2) * DAY + 9 * 3600_000;
      insertSampleSession(db, county.code, course, startsAt);
    }
    writeNotice(db, {
      countyCode: county.code,
      title: `【示例】${county.shortName}近期农民培训报名须知`,
      bodyMd: '培训免费，报名不需要账号。请在培训页面填写姓名、手机号和所在村，记下报名编号。\n\n不能参加请提前取消，把座位留给候补的乡亲。',
      publishedOn: today(now),
    });
  });
}

function insertSampleSession(db: Db, countyCode: string, course: (typeof COURSES)[number], startsAt: number): void {
  const title = `【示例】${course.title}`;
  const { lastInsertRowid } = stmt(
    db,
    `INSERT INTO training_sessions (county_code, title, topic, description_md, trainer, location, starts_at, ends_at,
       capacity, signup_deadline, created_at, updated_at) VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?)`,
  ).run(countyCode, title, course.topic, course.text, course.trainer, startsAt, startsAt + course.hours * 3600_000, 40, startsAt - DAY, Date.now(), Date.now());
  indexDocument(db, {
    type: 'training',
    id: String(lastInsertRowid),
    title,
    body: `${course.topic}\n${course.trainer}\n${course.text}`,
    regionCode: countyCode,
    url: `/trainings/${lastInsertRowid}`,
  });
}
