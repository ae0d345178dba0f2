import type { separation as zh } from '../zh-CN/separation.ts';

/** The admin network boundary (ADMIN_LISTEN) and three-role separation (三员分立, SEPARATION_OF_DUTIES). */
export const separation: Record<keyof typeof zh, string> = {
  'separation.adminNetworkOnly': 'The admin only accepts connections from the addresses allowed on the government network.',
  'role.system_admin': 'System administrator',
  'role.security_admin': 'Security administrator',
  'role.auditor': 'Security auditor',
  'action.user.manage.system_admin': 'Manage system administrator accounts',
  'action.user.manage.security_admin': 'Manage security administrator accounts',
  'action.user.manage.auditor': 'Manage security auditor accounts',
  'action.account.unlock': 'Lift sign-in locks on accounts',
};
