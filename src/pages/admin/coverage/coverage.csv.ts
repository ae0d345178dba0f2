import type { APIRoute } from 'astro';
import { permit } from '../../../lib/auth/index.ts';
import { coverageScope, coverageView, ROLLUP_COLUMNS } from '../../../lib/coverage/index.ts';
import { csvResponse, toCsv } from '../../../lib/csv/index.ts';
import { getDb } from '../../../lib/db/index.ts';
import { spreadsheetDateTime } from '../../../lib/time.ts';

/** The coverage table as the page shows it: child regions rolled up, or a township's villages. */
export const GET: APIRoute = ({ locals, url }) => {
  const { user, t } = locals;
  const db = getDb();
  if (!user || !permit(db, { actor: user, clientAddress: locals.clientAddress }, 'coverage.view', user.regionCode)) {
    return new Response(t('error.forbidden'), { status: 403 });
  }
  const region = coverageScope(db, user, url.searchParams.get('region'));
  if (!region) return new Response(t('error.notFound'), { status: 404 });
  const view = coverageView(db, region);
  const date = (ms: number | null | undefined) => (ms ? spreadsheetDateTime(ms) : '');
  const yesNo = (value: boolean | undefined) => t(value ? 'coverage.yes' : 'coverage.no');
  if (view.villages) {
    const header = [
      'coverage.col.code',
      'coverage.col.collectors',
      'coverage.col.activeCollectors',
      'coverage.col.profileComplete',
      'coverage.col.liveListings',
      'coverage.col.lastListing',
      'coverage.col.lastNotice',
      'coverage.col.established',
      'coverage.col.overdueSubjects',
    ] as const;
    const rows = view.villages.map((v) => [
      v.code,
      v.name,
      v.collectors,
      v.activeCollectors,
      yesNo(v.profileComplete),
      v.liveListings,
      date(v.lastListingAt),
      date(v.lastNoticeAt),
      yesNo(v.established),
      v.overdueSubjects.map((s) => t(`affairs.subject.${s}`)).join('、'),
    ]);
    return csvResponse(toCsv(['code', ...header.map((k) => t(k))], rows), `coverage-${region.code}.csv`);
  }
  const rows = [...(view.rows ?? []), view.total];
  const extra =
    region.level === 'county'
      ? (['coverage.col.stationProfile', 'coverage.col.libraryFiles', 'coverage.col.lastUpload'] as const)
      : ([
          'coverage.col.baseProfile',
          'coverage.col.sessionsHeld',
          'coverage.col.attended',
          'coverage.col.reportsAdopted',
          'coverage.col.questionsAnswered',
          'coverage.col.medianAnswerHours',
        ] as const);
  const facts = (r: (typeof rows)[number]) =>
    r === view.total
      ? extra.map(() => '')
      : region.level === 'county'
        ? [yesNo(r.ownProfileComplete), r.libraryFiles, date(r.lastUploadAt)]
        : [yesNo(r.ownProfileComplete), r.sessionsHeld, r.attended, r.reportsAdopted, r.questionsAnswered, r.medianAnswerHours ?? ''];
  return csvResponse(
    toCsv(
      ['code', t('coverage.col.code'), ...ROLLUP_COLUMNS.map((k) => t(`coverage.col.${k}` as const)), ...extra.map((k) => t(k))],
      rows.map((r) => [r.code, r === view.total ? t('coverage.total') : r.name, ...ROLLUP_COLUMNS.map((k) => r[k]), ...facts(r)]),
    ),
    `coverage-${region.code}.csv`,
  );
};
