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
    [{ priceUnit: 'ton' }, 'priceUnit', 'validation.listing.unit'],
    [{ supplyFrom: '13' }, 'supplyFrom', 'validation.month.invalid'],
    [{ supplyTo: 'x' }, 'supplyTo', 'validation.month.invalid'],
    [{ supplyFrom: '0x5' }, 'supplyFrom', 'validation.month.invalid'],
    [{ supplyTo: '1e1' }, 'supplyTo', 'validation.month.invalid'],
    [{ contactName: '  ' }, 'contactName', 'validation.required'],
    [{ descriptionMd: 'a'.repeat(5001) }, 'descriptionMd', 'validation.tooLong'],
  ])('refuses %o', (input, field, message) => {
    expect(firstError(input)).toMatchObject({ path: [field], message });
  });
});
