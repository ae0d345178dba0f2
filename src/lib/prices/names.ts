import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pinyin } from 'pinyin-pro';
import { projectRoot } from '../db/index.ts';
import type { Category } from './types.ts';

/**
 * A name as the importer matches it: NFKC (full-width letters, digits and brackets become
 * half-width), without any spaces (also the ideographic one), lower case. "番 茄", "番茄" and
 * "番茄 " match; so do "ＡＢＣ" and "abc".
 */
export function nameKey(name: string): string {
  return name.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

/**
 * A name from a sheet as a new commodity or market is called: spaces runs (also ideographic ones)
 * become one, and go entirely between Chinese characters and full-width punctuation ("黄　瓜" → "黄瓜", "XO  酱" → "XO 酱").
 */
export function tidyName(name: string): string {
  const wide = '[\\u3000-\\u303f\\u3400-\\u9fff\\uff00-\\uffef]';
  return name
    .trim()
    .replace(/\s+/g, ' ')
    .replace(new RegExp(`(?<=${wide}) (?=${wide})`, 'g'), '');
}

/** The shipped starter list of other names: each group names one commodity. */
export function parseAliasGroups(text: string): string[][] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) =>
      line
        .split(/[\s,，、]+/)
        .map(nameKey)
        .filter((n) => n !== ''),
    )
    .filter((group) => group.length > 1);
}

let starter: Map<string, string[]> | undefined;

/** Name key → the other names of its group, from content/prices/aliases.txt (read once). */
export function starterAliases(): Map<string, string[]> {
  if (!starter) {
    const groups = parseAliasGroups(readFileSync(join(projectRoot(), 'content', 'prices', 'aliases.txt'), 'utf8'));
    starter = new Map();
    for (const group of groups) for (const name of group) starter.set(name, [...(starter.get(name) ?? []), ...group.filter((n) => n !== name)]);
  }
  return starter;
}

/**
 * The built-in vocabulary that guesses a new commodity's category from its name: whole names
 * first, then the characters names in a category typically end with. The clerk can change the
 * guess in the preview before anything is created.
 */
const WORDS: Record<Exclude<Category, 'other'>, string[]> = {
  grain: [
    '小麦',
    '麦子',
    '玉米',
    '稻谷',
    '大米',
    '粳米',
    '籼米',
    '糯米',
    '小米',
    '高粱',
    '大麦',
    '燕麦',
    '荞麦',
    '面粉',
    '黄豆',
    '大豆',
    '绿豆',
    '红豆',
    '赤豆',
    '黑豆',
    '豌豆',
    '蚕豆',
    '红薯',
    '地瓜',
    '薯干',
  ],
  oilseed: ['花生', '花生米', '花生仁', '芝麻', '油菜籽', '菜籽', '葵花籽', '瓜子', '棉籽', '胡麻', '菜籽油', '花生油', '豆油', '芝麻油', '香油'],
  vegetable: [
    '土豆',
    '马铃薯',
    '番茄',
    '西红柿',
    '洋葱',
    '圆葱',
    '大蒜',
    '蒜头',
    '生姜',
    '姜',
    '大葱',
    '韭菜',
    '芹菜',
    '香菜',
    '茄子',
    '黄瓜',
    '冬瓜',
    '南瓜',
    '苦瓜',
    '丝瓜',
    '西葫芦',
    '辣椒',
    '尖椒',
    '青椒',
    '菜花',
    '西兰花',
    '胡萝卜',
    '萝卜',
    '莲藕',
    '山药',
    '芋头',
    '豆角',
    '豇豆',
    '四季豆',
    '荷兰豆',
    '毛豆',
    '蒜苗',
    '蒜薹',
    '莴笋',
    '竹笋',
    '茭白',
    '蘑菇',
    '香菇',
    '平菇',
    '金针菇',
    '杏鲍菇',
    '木耳',
    '豆芽',
    '黄豆芽',
    '绿豆芽',
    '生菜',
    '菠菜',
    '茼蒿',
    '油麦菜',
    '空心菜',
    '苋菜',
    '秋葵',
  ],
  fruit: [
    '苹果',
    '梨',
    '酥梨',
    '桃',
    '水蜜桃',
    '油桃',
    '杏',
    '李子',
    '枣',
    '红枣',
    '冬枣',
    '葡萄',
    '提子',
    '西瓜',
    '甜瓜',
    '香瓜',
    '哈密瓜',
    '香蕉',
    '橘子',
    '桔子',
    '橙子',
    '柚子',
    '柠檬',
    '草莓',
    '樱桃',
    '猕猴桃',
    '菠萝',
    '芒果',
    '荔枝',
    '龙眼',
    '桂圆',
    '火龙果',
    '石榴',
    '柿子',
    '山楂',
    '蓝莓',
    '椰子',
    '榴莲',
    '山竹',
    '枇杷',
    '杨梅',
  ],
  livestock: [
    '猪肉',
    '白条猪',
    '牛肉',
    '羊肉',
    '鸡肉',
    '鸭肉',
    '鹅肉',
    '生猪',
    '活猪',
    '仔猪',
    '肉牛',
    '活羊',
    '活鸡',
    '白条鸡',
    '鸡蛋',
    '鸭蛋',
    '鹅蛋',
    '鹌鹑蛋',
    '猪肝',
    '排骨',
    '五花肉',
    '里脊',
    '牛奶',
    '鲜奶',
  ],
  aquatic: [
    '草鱼',
    '鲤鱼',
    '鲫鱼',
    '鲢鱼',
    '鳙鱼',
    '黑鱼',
    '鲈鱼',
    '鳊鱼',
    '武昌鱼',
    '带鱼',
    '黄花鱼',
    '鲶鱼',
    '虾',
    '对虾',
    '基围虾',
    '小龙虾',
    '河蟹',
    '螃蟹',
    '海带',
    '紫菜',
    '鱿鱼',
    '扇贝',
    '蛤蜊',
    '牡蛎',
    '甲鱼',
    '黄鳝',
    '泥鳅',
  ],
};
const ENDINGS: [RegExp, Exclude<Category, 'other'>][] = [
  [/(鱼|虾|蟹|贝|蛤|螺|鳝|鳅|参)$/, 'aquatic'],
  [/(肉|蛋|排|骨|肝|肚|蹄|鸡|鸭|鹅|猪|牛|羊|兔|奶)$/, 'livestock'],
  [/(菜|笋|菇|蘑|耳|芽|葱|蒜|椒|姜|薯|豆角|萝卜|瓜苗|藕|芹|苔|薹)$/, 'vegetable'],
  [/(果|桃|梨|橘|桔|橙|柚|莓|枣|杏|李|瓜|蕉|柑|提|葡萄|樱桃)$/, 'fruit'],
  [/(米|麦|面|粉|粱|谷|豆)$/, 'grain'],
  [/(油|籽|仁|芝麻)$/, 'oilseed'],
];
const WORD_CATEGORY = new Map(Object.entries(WORDS).flatMap(([category, words]) => words.map((w) => [nameKey(w), category as Category] as const)));

export function guessCategory(name: string): Category {
  const key = nameKey(name).replace(/[(（][^)）]*[)）]/g, '');
  const exact = WORD_CATEGORY.get(key);
  if (exact) return exact;
  // A qualified name ("精品西红柿", "本地小白菜") ends with a known word.
  for (const [word, category] of WORD_CATEGORY) if (word.length > 1 && key.endsWith(word)) return category;
  return ENDINGS.find(([pattern]) => pattern.test(key))?.[1] ?? 'other';
}

const SLUG_LENGTH = 40;

/**
 * A URL name from the pinyin of a Chinese name ("西红柿" → "xi-hong-shi", "绿豆芽" → "lv-dou-ya"),
 * made unique against `taken` with -2, -3 …; names without any letters fall back to "c-…".
 */
export function slugFor(name: string, taken: (slug: string) => boolean): string {
  const syllables = pinyin(name.normalize('NFKC'), { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true })
    .map((s) => s.toLowerCase().replace(/[^a-z0-9]+/g, ''))
    .filter((s) => s !== '');
  let base = syllables
    .join('-')
    .slice(0, SLUG_LENGTH - 4)
    .replace(/-+$/, '');
  if (!/^[a-z][a-z0-9-]+$/.test(base)) base = `c-${base || 'x'}`.replace(/-+$/, '');
  let slug = base;
  for (let n = 2; taken(slug); n++) slug = `${base}-${n}`;
  return slug;
}
