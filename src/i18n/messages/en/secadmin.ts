import type { secadmin as zh } from '../zh-CN/secadmin.ts';

/** The security administrator's powers under three-role separation (三员分立): roles and account policy. */
export const secadmin: Record<keyof typeof zh, string> = {
  'action.account.role': "Change accounts' roles",
  'action.account.policy': "Reset accounts' second factors and end all their sessions",
  'users.changeRole': 'Change role',
  'users.changeRole.explain': "Only to its level's staff role or an expert, where the account sits; all its sessions end.",
  'users.changeRole.to': 'New role',
  'users.roleChanged': 'The role was changed.',
  'validation.role.notOffered': 'This account cannot be given that role where it sits.',
};
