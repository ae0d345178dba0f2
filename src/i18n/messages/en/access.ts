import type { access as zh } from '../zh-CN/access.ts';

export const access: Record<keyof typeof zh, string> = {
  'access.textSize.large': 'Large text',
  'access.textSize.standard': 'Standard text',
  'access.offline.savedAt': 'This is an offline copy saved on this phone at {time}; it may be out of date.',
  'access.readAloud.start': 'Read aloud',
  'access.readAloud.stop': 'Stop',
  'access.myVillage.set': 'Make this my village',
  'access.myVillage.clear': 'Not my village',
  'access.myVillage.isMine': 'This is your village.',
  'access.myVillage.hint': 'Your village is linked from the home page, and this phone keeps this page so that it opens without a network.',
  'access.myVillage.link': 'My village: {village}',
  'access.share.link': 'Link to this page',
  'access.share.hint': 'Copy this link into WeChat, a text message or a group chat, and others can open this page.',
  'access.share.button': 'Share',
  'access.share.copy': 'Copy link',
  'access.share.copied': 'Link copied.',
  'access.share.copyFailed': 'Could not copy automatically: press and hold the link above and choose “Copy”.',
  'access.error.badPreference': 'This setting was not recognised; please go back and try again.',
};
