import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/lib/auth/can.ts';
import type { Role } from '../../../src/lib/auth/roles.ts';
import { ForbiddenError, type UserError } from '../../../src/lib/errors.ts';
import { allowedPurchaseIntents, refusePurchaseIntent, type PurchaseStatus } from '../../../src/lib/prices/purchase.ts';
import { R } from '../../helpers/fixtures.ts';

const actor = (role: Role, regionCode: string): Actor => ({ id: role, username: role, role, regionCode });
const price = (status: PurchaseStatus, pointRegion: string = R.village) => ({ status, pointRegion });

describe('who may review a local purchase price', () => {
  it.each([
    ['a collector of the village', actor('collector', R.village), []],
    ['the station manager of the township', actor('station_manager', R.township), []],
    ['county staff of the county', actor('county_staff', R.county), ['approve', 'reject']],
    ['county staff of another county', actor('county_staff', R.siblingCounty), []],
    ['an admin of the city', actor('admin', R.city), ['approve', 'reject']],
  ] as const)('%s', (_who, who, intents) => {
    expect(allowedPurchaseIntents(who, price('pending'))).toEqual(intents);
  });

  it('offers nothing once a price is reviewed, and refuses it as a conflict', () => {
    const county = actor('county_staff', R.county);
    for (const status of ['approved', 'rejected'] as const) {
      expect(allowedPurchaseIntents(county, price(status))).toEqual([]);
      expect(() => refusePurchaseIntent(county, price(status), 'approve')).toThrow(expect.objectContaining({ key: 'purchase.error.notPending', status: 409 }));
    }
  });

  it('refuses a price outside the actor’s area as unknown (404), and one the role may not review likewise', () => {
    const refusal = (who: Actor) => {
      try {
        refusePurchaseIntent(who, price('pending'), 'approve');
      } catch (error) {
        return error;
      }
      return undefined;
    };
    for (const who of [actor('county_staff', R.siblingCounty), actor('collector', R.village)]) {
      const error = refusal(who);
      expect(error).toBeInstanceOf(ForbiddenError);
      expect((error as UserError).status).toBe(404);
    }
    expect(refusal(actor('county_staff', R.county))).toBeUndefined();
  });
});
