export const access = {
  'access.textSize.large': '大字',
  'access.textSize.standard': '标准字',
  'access.offline.savedAt': '这是 {time} 保存在本机的离线版本，内容可能已过时。',
  'access.readAloud.start': '朗读',
  'access.readAloud.stop': '停止',
  'access.myVillage.set': '设为我的村',
  'access.myVillage.clear': '取消我的村',
  'access.myVillage.isMine': '这是您的村。',
  'access.myVillage.hint': '设为我的村后，打开首页就能直接进入本村；手机会保存本页，没有网络时也能看。',
  'access.myVillage.link': '我的村：{village}',
  'access.error.badPreference': '无法识别的设置，请返回重试。',
} as const;
