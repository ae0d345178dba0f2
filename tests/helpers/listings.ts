import { R } from './fixtures.ts';

/** Valid listing form fields as a collector of R.village would type them. */
export function listingFields(extra: Record<string, string> = {}): Record<string, string> {
  return {
    villageCode: R.village,
    title: '砀山酥梨',
    category: 'fruit',
    price: '3.5',
    priceUnit: 'jin',
    quantity: '约 2000 斤',
    supplyFrom: '8',
    supplyTo: '11',
    contactName: '王先生',
    contactPhone: '13800138000',
    descriptionMd: '个大汁多。',
    ...extra,
  };
}
