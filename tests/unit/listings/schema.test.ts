import { describe, expect, it } from 'vitest';
import { listingSchema } from '../../../src/lib/listings/schema.ts';
import { listingFields } from '../../helpers/listings.ts';

const valid = listingFields({ contactPhone: '138 0013 8000' });

const firstError = (input: object) => listingSchema.safeParse({ ...valid, ...input }).error?.issues[0];

describe('listing validation', () => {
  it('accepts a normal listing and stores the price in fen', () => {
    const parsed = listingSchema.parse(valid);
    expect(parsed).toMatchObject({ priceFen: 350, priceUnit: 'jin', supplyFrom: 8, supplyTo: 11, contactPhone: '13800138000' });
  });

  it('has no price when it is negotiable', () => {
    expect(listingSchema.parse({ ...valid, price: '', priceUnit: 'negotiable' }).priceFen).toBeNull();
    expect(listingSchema.parse({ ...valid, price: '9', priceUnit: 'negotiable' }).priceFen).toBeNull();
  });

  it.each([
    [{ price: '-1' }, 'price', 'validation.price.negative'],
    [{ price: '1.234' }, 'price', 'validation.price.invalid'],
    [{ price: 'abc' }, 'price', 'validation.price.invalid'],
    [{ price: '' }, 'price', 'validation.price.required'],
    [{ price: '99999999' }, 'price', 'validation.price.invalid'],
    [{ contactPhone: '12345' }, 'contactPhone', 'validation.phone.invalid'],
    [{ contactPhone: '<script>' }, 'contactPhone', 'validation.phone.invalid'],
    [{ title: 'x' }, 'title', 'validation.listing.titleLength'],
    [{ title: '梨'.repeat(61) }, 'title', 'validation.listing.titleLength'],
    [{ category: 'weapons' }, 'category', 'validation.listing.category'],
    [{ priceUnit: 'gram' }, 'priceUnit', 'validation.listing.unit'],
    [{ supplyFrom: '13' }, 'supplyFrom', 'validation.month.invalid'],
    [{ supplyTo: 'x' }, 'supplyTo', 'validation.month.invalid'],
    [{ supplyFrom: '0x5' }, 'supplyFrom', 'validation.month.invalid'],
    [{ supplyTo: '1e1' }, 'supplyTo', 'validation.month.invalid'],
    [{ contactName: '  ' }, 'contactName', 'validation.required'],
    [{ descriptionMd: 'a'.repeat(5001) }, 'descriptionMd', 'validation.tooLong'],
    [{ priceUnit: 'head' }, 'priceUnit', 'validation.listing.unitForCategory'],
    [{ category: 'grain_oil', priceUnit: 'plant' }, 'priceUnit', 'validation.listing.unitForCategory'],
    [{ minOrderQty: '0', minOrderUnit: 'jin' }, 'minOrderQty', 'validation.listing.minOrder'],
    [{ minOrderQty: '-5', minOrderUnit: 'jin' }, 'minOrderQty', 'validation.listing.minOrder'],
    [{ minOrderQty: '1e3', minOrderUnit: 'jin' }, 'minOrderQty', 'validation.listing.minOrder'],
    [{ minOrderQty: '5000000', minOrderUnit: 'jin' }, 'minOrderQty', 'validation.listing.minOrder'],
    [{ minOrderQty: '500' }, 'minOrderUnit', 'validation.listing.minOrderUnit'],
    [{ minOrderQty: '500', minOrderUnit: 'yuan' }, 'minOrderUnit', 'validation.listing.minOrderUnit'],
    [{ shipFrom: 'county' }, 'shipFrom', 'validation.listing.shipFrom'],
    [{ sellerType: 'broker' }, 'sellerType', 'validation.listing.sellerType'],
    [{ variety: '<img src=x onerror=alert(1)>' }, 'variety', 'validation.tooLong'],
    [{ variety: '<b>' }, 'variety', 'validation.listing.specLength'],
    [{ specKey_0: '果径' }, 'specValue_0', 'validation.listing.specPair'],
    [{ specValue_2: '80 mm' }, 'specKey_2', 'validation.listing.specPair'],
    [{ specKey_0: '果径', specValue_0: '<script>alert(1)</script>' }, 'specValue_0', 'validation.listing.specLength'],
    [{ specKey_0: '果径'.repeat(6), specValue_0: '80' }, 'specValue_0', 'validation.listing.specLength'],
    [{ specKey_0: '糖度', specValue_0: '13', specKey_1: '糖度', specValue_1: '14' }, 'specKey_1', 'validation.listing.specDuplicate'],
    [{ cert_organic: 'on' }, 'certNo_organic', 'validation.listing.certOrganic'],
    [{ cert_organic: 'on', certNo_organic: '"><script>' }, 'certNo_organic', 'validation.listing.certOrganic'],
    [{ cert_green_food: 'on', certNo_green_food: 'L'.repeat(41) }, 'certNo_green_food', 'validation.listing.certGreenFood'],
    [{ cert_compliance: 'on', certNo_compliance: '<b>' }, 'certNo_compliance', 'validation.listing.certNumber'],
    [{ contactWechat: 'wx<script>' }, 'contactWechat', 'validation.listing.wechat'],
  ])('refuses %o', (input, field, message) => {
    expect(firstError(input)).toMatchObject({ path: [field], message });
  });

  it('keeps a listing saved before the structured fields valid, with their defaults', () => {
    expect(listingSchema.parse(valid)).toMatchObject({
      variety: '',
      specs: [],
      minOrderQty: null,
      minOrderUnit: null,
      shipFrom: 'village',
      delivery: [],
      certifications: [],
      sellerType: 'farmer',
    });
    // 元/个 came before the per-category units and every category still takes it.
    expect(listingSchema.parse({ ...valid, category: 'livestock', priceUnit: 'piece' }).priceUnit).toBe('piece');
  });

  it('reads variety, spec pairs, minimum order, delivery, certifications and seller type from the form names', () => {
    const parsed = listingSchema.parse({
      ...valid,
      variety: ' 砀山酥梨 ',
      specKey_0: '果径',
      specValue_0: '80 mm 以上',
      specKey_3: '糖度',
      specValue_3: '13%',
      minOrderQty: '500',
      minOrderUnit: 'jin',
      shipFrom: 'township',
      delivery_pickup: 'on',
      delivery_logistics: 'on',
      cert_green_food: 'on',
      certNo_green_food: 'LB-18-2301234567',
      certNo_organic: '不勾选就不算',
      sellerType: 'cooperative',
    });
    expect(parsed).toMatchObject({
      variety: '砀山酥梨',
      specs: [
        { key: '果径', value: '80 mm 以上' },
        { key: '糖度', value: '13%' },
      ],
      minOrderQty: 500,
      minOrderUnit: 'jin',
      shipFrom: 'township',
      delivery: ['pickup', 'logistics'],
      certifications: [{ kind: 'green_food', number: 'LB-18-2301234567' }],
      sellerType: 'cooperative',
    });
  });

  it('takes livestock by the head and a minimum order in decimals', () => {
    const parsed = listingSchema.parse({ ...valid, category: 'livestock', priceUnit: 'head', price: '2800', minOrderQty: '0.5', minOrderUnit: 'ton' });
    expect(parsed).toMatchObject({ priceFen: 280_000, priceUnit: 'head', minOrderQty: 0.5, minOrderUnit: 'ton' });
  });

  it('refuses a ninth spec pair instead of dropping it', () => {
    const nine = Object.fromEntries(
      Array.from({ length: 9 }, (_, i) => [
        [`specKey_${i}`, `规格${i}`],
        [`specValue_${i}`, `${i}`],
      ]).flat(),
    );
    expect(firstError(nine)).toMatchObject({ path: ['specKey_0'], message: 'validation.listing.specCount' });
  });
});

// Examples shaped by the published numbering rules quoted in docs/LISTINGS.md (not real certificates).
describe('certificate numbers', () => {
  const certOf = (kind: string, number: string) => listingSchema.safeParse({ ...valid, [`cert_${kind}`]: 'on', [`certNo_${kind}`]: number });

  it.each([
    ['green_food', 'LB-15-1509011568A', 'LB-15-1509011568A'],
    ['green_food', 'LB-18-2301234567', 'LB-18-2301234567'],
    ['green_food', 'LB-45-1801010451AA', 'LB-45-1801010451AA'],
    // The enterprise code printed on packs since 2012: GF, a county code, the year, a serial.
    ['green_food', 'GF411400230012', 'GF411400230012'],
    // Typed in lower case or with spaces around: kept as printed.
    ['green_food', ' lb-15-1509011568a ', 'LB-15-1509011568A'],
    ['organic', '227OP2300012', '227OP2300012'],
    ['organic', '0227OP2300012', '0227OP2300012'],
    ['organic', 'F12OP1100345', 'F12OP1100345'],
    ['organic', '227OP2300012-2', '227OP2300012-2'],
    ['geo_indication', 'AGI01460', 'AGI01460'],
    ['geo_indication', 'agi00423', 'AGI00423'],
    // Not an agricultural GI registration: a certification mark's registration number, checked loosely.
    ['geo_indication', '第12345678号', '第12345678号'],
    ['compliance', '宁陵县2026-0815', '宁陵县2026-0815'],
    ['compliance', '', ''],
  ])('accepts %s %o', (kind, typed, stored) => {
    const parsed = certOf(kind, typed);
    expect(parsed.error?.issues).toBeUndefined();
    expect(parsed.data?.certifications).toEqual([{ kind, number: stored }]);
  });

  it.each([
    ['green_food', '', 'validation.listing.certGreenFood'],
    ['green_food', 'LB-1-1509011568A', 'validation.listing.certGreenFood'],
    ['green_food', 'LB-15-150901156A', 'validation.listing.certGreenFood'],
    ['green_food', 'LB-15-1509011568B', 'validation.listing.certGreenFood'],
    ['green_food', 'LB151509011568A', 'validation.listing.certGreenFood'],
    ['green_food', 'GF41140023001', 'validation.listing.certGreenFood'],
    ['green_food', '绿色食品', 'validation.listing.certGreenFood'],
    ['organic', '227-OP-23-00012', 'validation.listing.certOrganic'],
    ['organic', '227OP230012', 'validation.listing.certOrganic'],
    ['organic', '22OP2300012', 'validation.listing.certOrganic'],
    ['organic', '227OF2300012', 'validation.listing.certOrganic'],
    ['organic', 'OF-2026-001', 'validation.listing.certOrganic'],
    ['geo_indication', '', 'validation.listing.certGeoIndication'],
    ['geo_indication', 'AGI0146', 'validation.listing.certGeoIndication'],
    ['geo_indication', 'AGI2012-02-869', 'validation.listing.certGeoIndication'],
    ['geo_indication', '<script>', 'validation.listing.certGeoIndication'],
    ['compliance', 'x', 'validation.listing.certNumber'],
    ['compliance', '合'.repeat(41), 'validation.listing.certNumber'],
  ])('refuses %s %o with its own message', (kind, typed, message) => {
    expect(certOf(kind, typed).error?.issues[0]).toMatchObject({ path: [`certNo_${kind}`], message });
  });
});

describe('WeChat ID', () => {
  const wechatOf = (typed: string) => listingSchema.safeParse({ ...valid, contactWechat: typed });

  it.each([
    ['', ''],
    ['wxid_abc123', 'wxid_abc123'],
    [' Pear-Farm_2026 ', 'Pear-Farm_2026'],
    ['13800138000', '13800138000'],
  ])('accepts %o', (typed, stored) => {
    expect(wechatOf(typed).data?.contactWechat).toBe(stored);
  });

  it('is empty when the form has no such field (listings saved before it)', () => {
    expect(listingSchema.parse(valid).contactWechat).toBe('');
  });

  it.each(['abc12', '1abcdef', 'a'.repeat(21), 'pear farm', '梨园老王', '12800138000', 'wx<b>123'])('refuses %o', (typed) => {
    expect(wechatOf(typed).error?.issues[0]).toMatchObject({ path: ['contactWechat'], message: 'validation.listing.wechat' });
  });
});
