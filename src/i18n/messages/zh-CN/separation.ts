/** The admin network boundary (ADMIN_LISTEN) and three-role separation (三员分立, SEPARATION_OF_DUTIES). */
export const separation = {
  'separation.adminNetworkOnly': '管理端只接受政务网内指定地址的访问。',
} as const;
