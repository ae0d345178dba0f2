/**
 * Word pools for the synthetic city. Places are real 商丘 counties; products, people and texts are
 * made up for load testing and every description says so.
 */
import type { Category } from '../../../src/lib/listings/types.ts';

export type Random = () => number;

export const pick = <T>(next: Random, items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
export const between = (next: Random, min: number, max: number): number => min + Math.floor(next() * (max - min + 1));

/** Listing categories with their share of listings (weights add up to 100). */
export const CATEGORY_WEIGHTS: [Category, number][] = [
  ['grain_oil', 20],
  ['vegetable', 20],
  ['fruit', 15],
  ['livestock', 10],
  ['processed', 10],
  ['fungi', 5],
  ['herbs', 5],
  ['aquatic', 5],
  ['handicraft', 5],
  ['other', 5],
];

export function weighted<T>(next: Random, weights: readonly (readonly [T, number])[]): T {
  const total = weights.reduce((sum, [, w]) => sum + w, 0);
  let roll = next() * total;
  for (const [item, w] of weights) {
    roll -= w;
    if (roll < 0) return item;
  }
  return weights[weights.length - 1]![0];
}

export const PRODUCTS: Record<Category, readonly string[]> = {
  grain_oil: ['小麦', '玉米', '花生', '芝麻', '大豆', '绿豆', '红薯粉条', '小米'],
  vegetable: ['大蒜', '三樱椒', '大白菜', '大葱', '西红柿', '黄瓜', '山药', '芦笋', '韭菜'],
  fruit: ['酥梨', '黄金梨', '苹果', '桃', '葡萄', '西瓜', '甜瓜', '草莓', '冬枣'],
  livestock: ['土鸡蛋', '散养土鸡', '黑猪肉', '肉羊', '鸭蛋', '肉牛'],
  processed: ['石磨香油', '手工挂面', '红薯粉丝', '辣椒酱', '五香豆腐干', '梨膏'],
  fungi: ['香菇', '平菇', '木耳', '金针菇'],
  herbs: ['金银花', '菊花', '丹参', '艾草'],
  aquatic: ['鲤鱼', '草鱼', '小龙虾', '泥鳅'],
  handicraft: ['柳编篮子', '草编坐垫', '木雕摆件', '手工布鞋'],
  other: ['蜂蜜', '苗木', '有机肥', '秸秆饲料'],
};

export const ADJECTIVES = ['新鲜', '精选', '农家', '自产', '优质', '当季', '散装', '礼盒装', '宁陵', '柘城', '虞城', '夏邑', '永城', '民权', '睢县'];
const PRAISE = ['个大饱满', '口感好', '无农药残留', '产地直供', '可以上门看货', '量大从优', '支持快递发货', '欢迎批发', '晒干去杂', '现摘现发'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '孙', '朱', '马', '胡', '郭'];
const GIVEN = ['建国', '秀英', '桂兰', '玉梅', '志强', '海燕', '德华', '文静', '春生', '红霞', '明亮', '小娟'];

export const personName = (next: Random): string => pick(next, SURNAMES) + pick(next, GIVEN);

/** A landline that can never ring anyone: local numbers never start with 0. */
export const fakePhone = (n: number): string => `0370-0${String(n % 10_000_000).padStart(7, '0')}`;

export function productDescription(next: Random, product: string): string {
  const lines = Array.from({ length: between(next, 2, 4) }, () => `${product}${pick(next, PRAISE)}，${pick(next, PRAISE)}。`);
  return `${lines.join('')}\n\n*性能测试生成的数据，并非真实商品。*`;
}

export const ARTICLE_TOPICS = ['小麦赤霉病', '辣椒育苗', '梨树修剪', '大蒜储藏', '秸秆还田', '医保缴费', '耕地补贴', '农机作业', '冬季防火', '电商培训', '农产品价格', '防汛抗旱'];

/** A Markdown article body of a few hundred characters with a heading and a list. */
export function articleBody(next: Random, topic: string): string {
  const para = () =>
    Array.from(
      { length: between(next, 3, 6) },
      () => `关于${topic}，${pick(next, PRAISE)}，请乡亲们${pick(next, ['及时', '提前', '按时', '就近'])}${pick(next, ['咨询', '报名', '办理', '处理'])}。`,
    ).join('');
  return `${para()}\n\n## 要点\n\n- ${para()}\n- ${para()}\n\n${para()}\n\n*性能测试生成的内容。*`;
}
