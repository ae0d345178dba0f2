import type { notify as zh } from '../zh-CN/notify.ts';

export const notify: Record<keyof typeof zh, string> = {
  'action.duty.manage': 'Keep the duty phones of the offices in your scope',
  'admin.nav.duty': 'Duty phones',
  'duty.title': 'Duty phones',
  'duty.intro': 'When a unit below files an urgent report, the duty phones of every level above it get an SMS at once. Mobiles only.',
  'duty.add': 'Add a duty phone',
  'duty.field.region': 'Office',
  'duty.field.name': 'Name',
  'duty.field.phone': 'Mobile',
  'duty.list': 'Duty phones on record',
  'duty.none': 'No duty phones yet.',
  'duty.remove': 'Remove',
  'duty.removeLabel': 'Remove the duty phone of {name}',
  'duty.added': 'Duty phone added.',
  'duty.removed': 'Duty phone removed.',
  'duty.error.duplicate': 'This mobile is already on the office’s duty roster.',
  'validation.duty.name': 'Enter a name (at most 40 characters).',
  'validation.duty.mobile': 'A duty phone must be a mobile (11 digits) to receive SMS.',
};
