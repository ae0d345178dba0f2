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
    [{ cert_organic: 'on' }, 'certNo_organic', 'validation.listing.certNumber'],
    [{ cert_organic: 'on', certNo_organic: '"><script>' }, 'certNo_organic', 'validation.listing.certNumber'],
    [{ cert_green_food: 'on', certNo_green_food: 'L'.repeat(41) }, 'certNo_green_food', 'validation.listing.certNumber'],
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
