/** The security administrator's powers under three-role separation (三员分立): roles and account policy. */
export const secadmin = {
  'action.account.role': '更改账号的角色',
  'action.account.policy': '重置账号的动态口令并结束其全部登录',
  'users.changeRole': '更改角色',
  'users.changeRole.explain': '只能在账号所在的地区内改为该级别的工作人员或专家；账号的全部登录随即结束。',
  'users.changeRole.to': '新角色',
  'users.roleChanged': '角色已更改。',
  'validation.role.notOffered': '这个账号在所在地区不能改为该角色。',
} as const;
