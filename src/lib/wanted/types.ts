/** Units a buyer counts a wanted quantity in. */
export const WANTED_UNITS = ['jin', 'kg', 'ton', 'head', 'piece', 'box', 'bag'] as const;
export type WantedUnit = (typeof WANTED_UNITS)[number];
/** `own`: the buyer's contact is shown; `station`: the posting station's. */
export const CONTACT_MODES = ['own', 'station'] as const;
export type ContactMode = (typeof CONTACT_MODES)[number];
