/** The duty roster admin (issue 17): phones that hear at once of urgent reports. */
export const notify = {
  'admin.nav.duty': '值班电话',
  'duty.title': '值班电话',
  'duty.intro': '下级报送紧急信息时，本级及以上各级值班电话会立即收到短信。只能填写手机号。',
  'duty.add': '添加值班电话',
  'duty.field.region': '单位',
  'duty.field.name': '姓名',
  'duty.field.phone': '手机号',
  'duty.list': '已登记的值班电话',
  'duty.none': '还没有值班电话。',
  'duty.remove': '删除',
  'duty.removeLabel': '删除 {name} 的值班电话',
  'duty.added': '已添加值班电话。',
  'duty.removed': '已删除值班电话。',
  'duty.error.duplicate': '这个手机号已在该单位的值班名单中。',
  'validation.duty.name': '请填写姓名（不超过 40 个字）。',
  'validation.duty.mobile': '值班电话须为手机号（11 位），才能收到短信。',
} as const;
