import { defineConfig, devices } from '@playwright/test';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UNREACHABLE_RATE_LIMITS } from './src/lib/limits/config.ts';

/** Debian's chromium (Playwright cannot download its own browser here); CHROMIUM_PATH overrides. */
const chromium = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const port = Number(process.env.E2E_PORT ?? 4399);
// Per port, so that several checkouts can run their browser tests side by side.
export const E2E_DIR = join(tmpdir(), `xiangxin-e2e-${port}`);
export const E2E_DATABASE = join(E2E_DIR, 'e2e.sqlite');
/** The fake SMS gateway (tests/helpers/fakeGateways.ts) the server's http driver posts to; a test that reads texts starts it. */
export const E2E_GATEWAY_PORT = port + 1000;
export const E2E_GATEWAY_SECRET = 'e2e-gateway-secret';
/** Files the tests make to upload; removed with the rest of E2E_DIR after the run. */
export const E2E_FILES = join(E2E_DIR, 'files');

export default defineConfig({
  testDir: 'tests/e2e',
  workers: 1,
  retries: 0,
  reporter: 'list',
  globalTeardown: './tests/e2e/globalTeardown.ts',
  timeout: 60_000,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    ...devices['Pixel 5'],
    browserName: 'chromium',
    launchOptions: {
      executablePath: chromium,
      // Under the C locale (a bare CI shell) Chromium cannot read files with Chinese names, such as
      // the spreadsheets the price import tests upload.
      env: { ...process.env, LANG: /utf-?8/i.test(process.env.LANG ?? '') ? process.env.LANG! : 'C.UTF-8' },
      args: [
        '--no-sandbox',
        '--headless=new',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  webServer: {
    // A fresh database per run, seeded by the same start script users run.
    command: `rm -rf "${E2E_DIR}" && node scripts/start.ts`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: {
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_PATH: E2E_DATABASE,
      MEDIA_DIR: join(E2E_DIR, 'media'),
      ASTRO_TELEMETRY_DISABLED: '1',
      RATE_LIMITS: UNREACHABLE_RATE_LIMITS,
      // Specs sign in as county staff and admins without a phone; secondFactor.spec.ts enrols of its own accord.
      TOTP_REQUIRED_ROLES: 'none',
      // The price digest of tests/e2e/subscribe.spec.ts comes from the housekeeping round: often, at any hour.
      HOUSEKEEPING_SECONDS: '2',
      PRICE_DIGEST_HOUR: '0',
      // Texts leave through the http driver to the fake gateway, at once and at any hour.
      SMS_DRIVER: 'http',
      SMS_HTTP_URL: `http://127.0.0.1:${port + 1000}/sms`,
      SMS_HTTP_SECRET: E2E_GATEWAY_SECRET,
      OUTBOX_POLL_MS: '300',
      MESSAGE_QUIET_HOURS: 'off',
      // tests/e2e/usage.spec.ts reads the views it made on /admin/stats: written every second.
      USAGE_FLUSH_SECONDS: '1',
    },
  },
});
