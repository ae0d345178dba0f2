/** The admin network boundary (ADMIN_LISTEN) and three-role separation (三员分立, SEPARATION_OF_DUTIES). */
export const separation = {
  'separation.adminNetworkOnly': '管理端只接受政务网内指定地址的访问。',
  'role.system_admin': '系统管理员',
  'role.security_admin': '安全管理员',
  'role.auditor': '安全审计员',
  'action.user.manage.system_admin': '管理系统管理员账号',
  'action.user.manage.security_admin': '管理安全管理员账号',
  'action.user.manage.auditor': '管理安全审计员账号',
  'action.account.unlock': '解除账号的登录锁定',
} as const;
