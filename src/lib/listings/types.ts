import type { StoredImage } from '../media/images.ts';

export const CATEGORIES = ['grain_oil', 'fruit', 'vegetable', 'livestock', 'aquatic', 'fungi', 'herbs', 'processed', 'handicraft', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

/** `negotiable` (面议) has no price. */
export const PRICE_UNITS = ['jin', 'kg', 'piece', 'box', 'negotiable'] as const;
export type PriceUnit = (typeof PRICE_UNITS)[number];

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
}

/** The approved copy the public sees. */
export interface PublicListing extends ListingFields {
  id: number;
  villageCode: string;
  photos: StoredImage[];
  publishedAt: number;
  expiresAt: number;
}
