import { describe, expect, it } from 'vitest';
import { ACTIONS, can, type Action, type Actor } from '../../../src/lib/auth/index.ts';
import type { Role } from '../../../src/lib/auth/roles.ts';
import { R } from '../../helpers/fixtures.ts';

const actors: Record<Role, Actor> = {
  admin: { id: 'a', username: 'a', role: 'admin', regionCode: R.city },
  county_staff: { id: 'c', username: 'c', role: 'county_staff', regionCode: R.county },
  station_manager: { id: 's', username: 's', role: 'station_manager', regionCode: R.township },
  collector: { id: 'v', username: 'v', role: 'collector', regionCode: R.village },
  expert: { id: 'e', username: 'e', role: 'expert', regionCode: R.county },
};

/** Written out by hand from the issue, not derived from the rule under test. */
const OWN_SCOPE: Record<Role, Action[]> = {
  admin: [...ACTIONS],
  county_staff: [
    'region.editProfile',
    'user.manage.collector',
    'user.manage.station_manager',
    'audit.view',
    'listing.edit',
    'listing.review',
    'listing.stats',
    'training.manage',
    'training.roster',
    'article.publish',
    'article.draft',
    'article.review',
    'library.manage',
    'price.enter',
    'price.market.manage',
    'price.commodity.manage',
    'purchase.point.manage',
    'purchase.enter',
    'purchase.review',
    'report.write',
    'report.read',
    'report.review',
    'report.acknowledge',
    'report.publish',
    'report.rankings',
    'message.view',
    'message.manage',
    'duty.manage',
    'usage.view',
    'message.push',
    'user.manage.expert',
    'question.file',
    'question.handle',
    'question.assign',
    'question.stats',
    'question.review.manage',
    'coverage.view',
    'wanted.manage',
    'wanted.answer',
    'directory.propose',
    'directory.manage',
  ],
  station_manager: [
    'region.editProfile',
    'user.manage.collector',
    'listing.edit',
    'listing.review',
    'listing.stats',
    'article.publish',
    'article.draft',
    'article.review',
    'library.manage',
    'purchase.point.manage',
    'purchase.enter',
    'report.write',
    'report.read',
    'report.review',
    'report.acknowledge',
    'report.rankings',
    'message.view',
    'question.file',
    'question.handle',
    'question.stats',
    'wanted.manage',
    'wanted.answer',
    'directory.propose',
  ],
  collector: [
    'region.editProfile',
    'listing.edit',
    'article.draft',
    'purchase.point.manage',
    'purchase.enter',
    'report.write',
    'report.rankings',
    'question.file',
    'wanted.answer',
    'directory.propose',
  ],
  // Outside the staff hierarchy: the questions module alone gives an expert their questions.
  expert: [],
};

const scopes: Record<Role, { own: string[]; sibling: string[]; parent: string[] }> = {
  admin: { own: [R.city, R.county, R.village], sibling: [], parent: [] },
  county_staff: { own: [R.county, R.township, R.village], sibling: [R.siblingCounty, R.otherCountyVillage], parent: [R.city] },
  station_manager: { own: [R.township, R.village, R.siblingVillage], sibling: [R.siblingTownship, R.otherCountyVillage], parent: [R.county, R.city] },
  collector: { own: [R.village], sibling: [R.siblingVillage, R.otherCountyVillage], parent: [R.township, R.county, R.city] },
  expert: { own: [R.county, R.village], sibling: [R.siblingCounty], parent: [R.city] },
};

describe('can(user, action, region)', () => {
  for (const role of Object.keys(actors) as Role[]) {
    for (const action of ACTIONS) {
      const expected = OWN_SCOPE[role].includes(action);
      it(`${role} ${expected ? 'may' : 'may not'} ${action} in its own scope`, () => {
        for (const code of scopes[role].own) expect(can(actors[role], action, code)).toBe(expected);
      });
      if (scopes[role].sibling.length) {
        it(`${role} may not ${action} in a sibling scope`, () => {
          for (const code of scopes[role].sibling) expect(can(actors[role], action, code)).toBe(false);
        });
      }
      if (scopes[role].parent.length) {
        it(`${role} may not ${action} in its parent scope`, () => {
          for (const code of scopes[role].parent) expect(can(actors[role], action, code)).toBe(false);
        });
      }
    }
  }

  it('refuses everything to nobody and to a disabled account', () => {
    for (const action of ACTIONS) {
      expect(can(null, action, R.village)).toBe(false);
      expect(can({ ...actors.admin, disabled: true }, action, R.village)).toBe(false);
    }
  });

  it('does not mistake a code prefix of another length for a scope', () => {
    // 4114020 is not a region; a township code must not grant a neighbouring township by prefix games.
    expect(can(actors.station_manager, 'region.editProfile', '411402002001')).toBe(false);
    expect(can(actors.county_staff, 'region.editProfile', '41140')).toBe(false);
  });
});
