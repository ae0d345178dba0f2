import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/lib/auth/can.ts';
import type { Role } from '../../../src/lib/auth/roles.ts';
import { allowedMessageIntents, canPush, maskEmail, maskPhone, messageFilterFromQuery, seesRecipient, shownText } from '../../../src/lib/messages/admin.ts';
import { MESSAGE_STATUSES, type MessageStatus } from '../../../src/lib/messages/outbox.ts';
import { R } from '../../helpers/fixtures.ts';

const actor = (role: Role, regionCode: string): Actor => ({ id: role, username: role, role, regionCode });

describe('outbox masking', () => {
  it('masks a mobile as 138****0000, a landline and an e-mail address alike', () => {
    expect(maskPhone('13800000000')).toBe('138****0000');
    expect(maskPhone('0370-2345678')).toBe('037*****5678');
    expect(maskPhone('123')).toBe('***');
    expect(maskEmail('zhang.san@example.com')).toBe('z***@example.com');
    expect(maskEmail('@example.com')).toBe('***');
  });

  it('shows recipients only to county staff of the message’s own county', () => {
    const message = { regionCode: R.village };
    expect(seesRecipient(actor('county_staff', R.county), message)).toBe(true);
    expect(seesRecipient(actor('county_staff', R.siblingCounty), message)).toBe(false);
    expect(seesRecipient(actor('admin', R.city), message)).toBe(false);
    expect(seesRecipient(actor('station_manager', R.township), message)).toBe(false);
    // A message about the whole city belongs to no county.
    expect(seesRecipient(actor('county_staff', R.county), { regionCode: R.city })).toBe(false);
  });

  it('masks phones inside free text for others and hides confirmation codes from everyone', () => {
    const staff = actor('county_staff', R.county);
    const text = 'gateway refused 13912345678 at 20261202';
    expect(shownText(actor('admin', R.city), { kind: 'training.promoted', regionCode: R.village }, text)).toBe('gateway refused 139****5678 at 20261202');
    expect(shownText(staff, { kind: 'training.promoted', regionCode: R.village }, text)).toBe(text);
    expect(shownText(staff, { kind: 'code', regionCode: R.village }, '您的验证码是482915，10分钟内有效。')).toBe('您的验证码是******，10分钟内有效。');
  });
});

describe('outbox intents and filters', () => {
  it('offers retry for failed and cancelled, cancel for pending, nothing else, to managers in scope only', () => {
    const county = actor('county_staff', R.county);
    const intents = (who: Actor, status: MessageStatus) => allowedMessageIntents(who, { status, regionCode: R.village });
    expect(MESSAGE_STATUSES.map((s) => intents(county, s))).toEqual([['cancel'], [], [], ['retry'], ['retry'], []]);
    expect(intents(actor('station_manager', R.township), 'failed')).toEqual([]);
    expect(intents(actor('county_staff', R.siblingCounty), 'failed')).toEqual([]);
    expect(intents(actor('admin', R.city), 'pending')).toEqual(['cancel']);
    expect(intents({ ...county, disabled: true }, 'pending')).toEqual([]);
  });

  it('keeps the filter inside the actor’s scope and ignores values that are not choices', () => {
    const filter = (query: string) => messageFilterFromQuery(new URLSearchParams(query), R.county);
    expect(filter(`region=${R.siblingCounty}`).region).toBe(R.county);
    expect(filter(`region=${R.city}`).region).toBe(R.county);
    expect(filter(`region=${R.township}`).region).toBe(R.township);
    expect(filter('status=lost&channel=fax&kind=spam&date=2026-02-30&page=0')).toEqual({
      region: R.county,
      status: undefined,
      channel: undefined,
      kind: undefined,
      date: undefined,
      page: 1,
    });
    expect(filter('status=failed&channel=sms&kind=training.promoted&date=2026-12-01&page=3')).toEqual({
      region: R.county,
      status: 'failed',
      channel: 'sms',
      kind: 'training.promoted',
      date: '2026-12-01',
      page: 3,
    });
    expect(filter('page=1001').page).toBe(1);
  });

  it('links the county push to county and city staff only', () => {
    expect(canPush(actor('county_staff', R.county))).toBe(true);
    expect(canPush(actor('admin', R.city))).toBe(true);
    expect(canPush(actor('station_manager', R.township))).toBe(false);
    expect(canPush({ ...actor('county_staff', R.county), disabled: true })).toBe(false);
  });
});
