/** A phone as a tel: address: digits and a leading + only (stored phones may carry spaces or dashes). */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, '')}`;
}

/** Where a listing's call button points: the counted redirect, not the number itself. */
export function callHref(listingId: number): string {
  return `/products/${listingId}/call`;
}

/** Where a listing's WeChat button points: the counted page that shows the WeChat ID. */
export function wechatHref(listingId: number): string {
  return `/products/${listingId}/wechat`;
}
