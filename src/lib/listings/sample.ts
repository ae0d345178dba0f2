/**
 * Sample specialty products for a new portal, written for this project. Place names and the
 * kinds of products are real local specialties; the sellers, phone numbers (0000-prefixed
 * landlines, which are never issued) and texts are made up and marked as samples.
 */
import { CONSOLE } from '../auth/users.ts';
import type { Db } from '../db/index.ts';
import { one } from '../db/statements.ts';
import { loadSharp, prepareImage, type PreparedImage } from '../media/images.ts';
import type { SeedStep } from '../seed/step.ts';
import { approveListing, saveListing } from './index.ts';
import type { Category, PriceUnit } from './types.ts';

interface Sample {
  title: string;
  category: Category;
  price: string;
  unit: PriceUnit;
  quantity: string;
  months: [number, number];
  text: string;
  /** Hue and shape of the generated photo. */
  color: string;
  shape: 'round' | 'long' | 'pile';
  /** Structured details as the form names them (no certificates: a sample must not claim one). */
  details?: Record<string, string>;
}

const SAMPLES: Sample[] = [
  {
    title: '酥梨',
    category: 'fruit',
    price: '2.8',
    unit: 'jin',
    quantity: '约 5000 斤',
    months: [8, 11],
    text: '皮薄汁多，自家果园种植，可整箱发货。',
    color: '#d9c75a',
    shape: 'round',
    details: {
      variety: '砀山酥梨',
      specKey_0: '果径',
      specValue_0: '75 mm 以上',
      specKey_1: '糖度',
      specValue_1: '12% 左右',
      minOrderQty: '200',
      minOrderUnit: 'jin',
      delivery_pickup: 'on',
      delivery_express: 'on',
    },
  },
  {
    title: '三樱椒（干）',
    category: 'vegetable',
    price: '12',
    unit: 'jin',
    quantity: '约 800 斤',
    months: [9, 12],
    text: '当年新椒，晒干去杂，辣度高，适合做辣椒面。',
    color: '#b3261e',
    shape: 'long',
  },
  {
    title: '优质小麦',
    category: 'grain_oil',
    price: '1.35',
    unit: 'jin',
    quantity: '约 20 吨',
    months: [6, 9],
    text: '今年新麦，籽粒饱满，可上门收购。',
    color: '#c9a25b',
    shape: 'pile',
    details: {
      specKey_0: '等级',
      specValue_0: '二等',
      specKey_1: '水分',
      specValue_1: '12.5% 以下',
      minOrderQty: '5',
      minOrderUnit: 'ton',
      shipFrom: 'township',
      delivery_logistics: 'on',
      sellerType: 'cooperative',
    },
  },
  {
    title: '石磨香油',
    category: 'processed',
    price: '45',
    unit: 'jin',
    quantity: '约 300 斤',
    months: [1, 12],
    text: '本地芝麻，传统石磨工艺，玻璃瓶装。',
    color: '#9c6a1b',
    shape: 'round',
  },
  {
    title: '红皮大蒜',
    category: 'vegetable',
    price: '3.2',
    unit: 'jin',
    quantity: '约 3 吨',
    months: [5, 10],
    text: '蒜头大、瓣整齐，晾晒充分，耐储存。',
    color: '#e8e2d4',
    shape: 'round',
  },
  {
    title: '花生（带壳）',
    category: 'grain_oil',
    price: '4.5',
    unit: 'jin',
    quantity: '约 2000 斤',
    months: [9, 12],
    text: '沙地花生，颗粒大，可榨油也可炒食。',
    color: '#d2ad7a',
    shape: 'pile',
  },
  {
    title: '土鸡蛋',
    category: 'livestock',
    price: '1.2',
    unit: 'piece',
    quantity: '每周约 600 个',
    months: [1, 12],
    text: '散养鸡所产，每天拣蛋，村内可自提。',
    color: '#f0dcc0',
    shape: 'round',
  },
  {
    title: '香菇（鲜）',
    category: 'fungi',
    price: '8',
    unit: 'jin',
    quantity: '每天约 200 斤',
    months: [10, 4],
    text: '大棚种植，菇形圆整，当天采摘当天发。',
    color: '#7a5230',
    shape: 'round',
  },
  {
    title: '柳编篮子',
    category: 'handicraft',
    price: '35',
    unit: 'piece',
    quantity: '现货 120 个',
    months: [1, 12],
    text: '手工编织，结实耐用，可按尺寸定做。',
    color: '#b08d57',
    shape: 'pile',
  },
  { title: '黄河鲤鱼', category: 'aquatic', price: '9', unit: 'jin', quantity: '约 1500 斤', months: [3, 11], text: '池塘活水养殖，可现捞现称。', color: '#c0783a', shape: 'long' },
  {
    title: '金银花（干）',
    category: 'herbs',
    price: '60',
    unit: 'jin',
    quantity: '约 100 斤',
    months: [6, 9],
    text: '当季采摘，阴干，花蕾完整。',
    color: '#e9d27a',
    shape: 'pile',
  },
  { title: '西瓜', category: 'fruit', price: '25', unit: 'box', quantity: '约 800 箱', months: [6, 8], text: '沙瓤甜脆，每箱两个，约 16 斤。', color: '#2f7d32', shape: 'round' },
];

/** Villages spread over several counties (梁园区, 睢阳区, 民权县, 睢县, 宁陵县, 柘城县, 虞城县, 夏邑县, 永城市). */
const COUNTIES = ['411402', '411403', '411421', '411422', '411423', '411424', '411425', '411426', '411481'];

function photoSvg(sample: Sample, variant: number): string {
  const shapes = {
    round: `<ellipse cx="400" cy="330" rx="${190 + variant * 6}" ry="170" fill="${sample.color}"/><ellipse cx="340" cy="270" rx="50" ry="35" fill="#ffffff" opacity="0.35"/>`,
    long: Array.from(
      { length: 5 },
      (_, i) =>
        `<rect x="${150 + i * 110}" y="${140 + (i % 2) * 30}" width="60" height="330" rx="30" fill="${sample.color}" transform="rotate(${-12 + i * 6} ${180 + i * 110} 300)"/>`,
    ).join(''),
    pile: Array.from(
      { length: 18 },
      (_, i) => `<circle cx="${160 + (i % 6) * 95}" cy="${220 + Math.floor(i / 6) * 90}" r="${52 + (i % 3) * 4}" fill="${sample.color}" opacity="0.9"/>`,
    ).join(''),
  };
  return `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600"><defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#f4f1e6"/><stop offset="1" stop-color="#d8d0b8"/></linearGradient></defs><rect width="800" height="600" fill="url(#g)"/>${shapes[sample.shape]}</svg>`;
}

interface Prepared {
  photos: PreparedImage[];
}

const PICK_VILLAGE = `SELECT code, name FROM regions WHERE level = 'village' AND code >= ? AND code < ? ORDER BY code LIMIT 1 OFFSET ?`;

export const sampleListingsStep: SeedStep<Prepared> = {
  name: 'sample-listings',
  async prepare() {
    const photos: PreparedImage[] = [];
    const sharp = await loadSharp();
    for (const [i, sample] of SAMPLES.entries()) {
      photos.push(
        await prepareImage(
          await sharp(Buffer.from(photoSvg(sample, i % 3)))
            .jpeg({ quality: 80 })
            .toBuffer(),
        ),
      );
    }
    return { photos };
  },
  run(db: Db, _root, { photos }) {
    const ctx = { actor: CONSOLE, clientAddress: 'seed' };
    let n = 0;
    COUNTIES.forEach((county, ci) => {
      for (let k = 0; k < 4; k++) {
        const sample = SAMPLES[(ci * 4 + k) % SAMPLES.length]!;
        const village = one<{ code: string; name: string }>(db, PICK_VILLAGE, county, `${county}:`, 7 + k * 13);
        if (!village) continue;
        const listing = saveListing(db, ctx, null, {
          villageCode: village.code,
          fields: {
            title: `（示例）${sample.title}`,
            category: sample.category,
            price: sample.price,
            priceUnit: sample.unit,
            quantity: sample.quantity,
            supplyFrom: String(sample.months[0]),
            supplyTo: String(sample.months[1]),
            contactName: `示例联系人${++n}`,
            contactPhone: `0370-0000${String(n).padStart(3, '0')}`,
            descriptionMd: `${sample.text}\n\n*这是乡信自带的示例信息，用于演示农副特产品栏目，并非真实商品。*`,
            ...sample.details,
          },
          keep: [],
          uploads: [photos[SAMPLES.indexOf(sample)]!],
          intent: 'submit',
        });
        approveListing(db, ctx, listing.id);
      }
    });
  },
};
