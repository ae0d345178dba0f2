import type { separation as zh } from '../zh-CN/separation.ts';

/** The admin network boundary (ADMIN_LISTEN) and three-role separation (三员分立, SEPARATION_OF_DUTIES). */
export const separation: Record<keyof typeof zh, string> = {
  'separation.adminNetworkOnly': 'The admin only accepts connections from the addresses allowed on the government network.',
};
