import { describe, expect } from 'vitest';
import { zhCN } from '../../../src/i18n/messages/zh-CN.ts';
import { FormClient } from '../../helpers/browserlessClient.ts';
import { R } from '../../helpers/fixtures.ts';
import { serverTest } from '../../helpers/serverTest.ts';
import { choicePairs, count, postPairs } from './helpers.ts';

// Real limits for the code requests: 4 per address, 2 per phone.
const it = serverTest({ RATE_LIMITS: 'code=4/3600,phone=2/3600' });

describe('floods of code requests', () => {
  it('are refused with 429 per phone and per address, and store nothing', async ({ server, db }) => {
    const client = new FormClient(server.url);
    const ask = (phone: string) => postPairs(client, '/subscribe', choicePairs({ phone, villageCode: R.village, topics: ['notice'] }));
    const codes = () => count(db, `SELECT count(*) AS n FROM outbox WHERE kind = 'code'`);
    expect((await ask('13900000001')).status).toBe(200);
    expect((await ask('13900000001')).status).toBe(200);
    // A third code for the same phone: the phone's limit, whoever asks.
    const perPhone = await ask('13900000001');
    expect(perPhone.status).toBe(429);
    expect(await perPhone.text()).toContain(zhCN['validation.subscription.tooMany']);
    expect(codes()).toBe(2);
    expect((await ask('13900000002')).status).toBe(200);
    // The fifth request from this address: refused before anything is read.
    const perAddress = await ask('13900000003');
    expect(perAddress.status).toBe(429);
    expect(perAddress.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await client.post('/subscribe/manage', { phone: '13900000004' })).status).toBe(429);
    expect(codes()).toBe(3);
    expect(count(db, `SELECT count(*) AS n FROM phone_codes WHERE phone IN ('13900000003', '13900000004')`)).toBe(0);
  });
});
