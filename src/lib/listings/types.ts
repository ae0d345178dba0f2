import type { StoredImage } from '../media/images.ts';

export const CATEGORIES = ['grain_oil', 'fruit', 'vegetable', 'livestock', 'aquatic', 'fungi', 'herbs', 'processed', 'handicraft', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

/** `negotiable` (面议) has no price. `piece` (元/个) predates the per-category units and stays for old listings. */
export const PRICE_UNITS = ['jin', 'kg', 'ton', 'head', 'animal', 'plant', 'bag', 'box', 'piece', 'negotiable'] as const;
export type PriceUnit = (typeof PRICE_UNITS)[number];

/** Units every category has always accepted: listings saved before 0028 stay valid when edited. */
const ANY_CATEGORY: readonly PriceUnit[] = ['jin', 'kg', 'box', 'piece', 'negotiable'];

/** The units that make sense for each category (a pig by the head, not a rice by the head). */
export const UNITS_BY_CATEGORY: Record<Category, readonly PriceUnit[]> = {
  grain_oil: [...ANY_CATEGORY, 'ton', 'bag'],
  fruit: [...ANY_CATEGORY, 'ton', 'plant'],
  vegetable: [...ANY_CATEGORY, 'ton', 'bag', 'plant'],
  livestock: [...ANY_CATEGORY, 'head', 'animal'],
  aquatic: [...ANY_CATEGORY, 'ton', 'animal'],
  fungi: [...ANY_CATEGORY, 'bag'],
  herbs: [...ANY_CATEGORY, 'ton', 'plant', 'bag'],
  processed: [...ANY_CATEGORY, 'bag'],
  handicraft: ANY_CATEGORY,
  other: PRICE_UNITS,
};

/** What a minimum order is counted in (the price units without the money). */
export const ORDER_UNITS = ['jin', 'kg', 'ton', 'head', 'animal', 'plant', 'bag', 'box', 'piece'] as const;
export type OrderUnit = (typeof ORDER_UNITS)[number];

/** Spec names offered per category; any other name may be typed. */
export const SPEC_KEYS: Record<Category, readonly string[]> = {
  grain_oil: ['等级', '水分', '品种', '产地'],
  fruit: ['果径', '单果重', '糖度', '包装'],
  vegetable: ['规格', '单重', '包装'],
  livestock: ['品种', '出栏重', '饲养方式', '月龄'],
  aquatic: ['规格', '养殖方式', '单重'],
  fungi: ['规格', '干湿', '包装'],
  herbs: ['等级', '年份', '含水量'],
  processed: ['规格', '保质期', '包装'],
  handicraft: ['尺寸', '材质'],
  other: ['规格'],
};
export const MAX_SPECS = 8;

export const DELIVERY_OPTIONS = ['pickup', 'express', 'logistics'] as const;
export type DeliveryOption = (typeof DELIVERY_OPTIONS)[number];

export const CERTIFICATIONS = ['green_food', 'organic', 'geo_indication', 'compliance'] as const;
export type Certification = (typeof CERTIFICATIONS)[number];

export const SELLER_TYPES = ['farmer', 'cooperative', 'family_farm', 'enterprise'] as const;
export type SellerType = (typeof SELLER_TYPES)[number];

/** Where the goods leave from: the listing's village, or its township (a collection point). */
export const SHIP_FROM = ['village', 'township'] as const;
export type ShipFrom = (typeof SHIP_FROM)[number];

export interface Spec {
  key: string;
  value: string;
}

export interface CertificateEntry {
  kind: Certification;
  number: string;
}

export const STATUSES = ['draft', 'pending', 'published', 'rejected', 'archived'] as const;
export type ListingStatus = (typeof STATUSES)[number];

export interface ListingFields {
  title: string;
  category: Category;
  descriptionMd: string;
  /** In fen (0.01 yuan); null when the price is negotiable. */
  priceFen: number | null;
  priceUnit: PriceUnit;
  quantity: string;
  supplyFrom: number;
  supplyTo: number;
  contactName: string;
  contactPhone: string;
  /** The seller's WeChat ID, '' for none: contact data, shown only behind /products/{id}/wechat. */
  contactWechat: string;
  variety: string;
  specs: Spec[];
  /** Null when any amount is sold. */
  minOrderQty: number | null;
  minOrderUnit: OrderUnit | null;
  shipFrom: ShipFrom;
  delivery: DeliveryOption[];
  certifications: CertificateEntry[];
  sellerType: SellerType;
  /** The directory entry (an approved producer of the county) the listing names as its seller. */
  sellerEntityId: number | null;
}

/** The working copy a collector edits. */
export interface Listing extends ListingFields {
  id: number;
  villageCode: string;
  status: ListingStatus;
  rejectReason: string;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
  photos: StoredImage[];
  /** When the approved copy stops being public; null if none is public. */
  expiresAt: number | null;
  /** 暂时售罄: still public, marked; set and cleared without review. */
  soldOut: boolean;
}

/** The approved copy the public sees. */
export interface PublicListing extends ListingFields {
  id: number;
  villageCode: string;
  photos: StoredImage[];
  publishedAt: number;
  expiresAt: number;
  soldOut: boolean;
}
