import { afterAll, describe, expect, it } from 'vitest';
import { translator } from '../../../src/i18n/index.ts';
import { tempDir } from '../../helpers/tempDb.ts';
import { runScript } from '../../helpers/script.ts';

const zh = translator('zh-CN');
const en = translator('en');

const script = runScript;

describe('the console scripts answer in the language LANG names, Chinese by default', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());
  const env = () => ({ DATABASE_PATH: tmp.file('cli.sqlite') });

  it('user:create: usage, refusal and success', () => {
    expect(zh('cli.userCreate.usage')).not.toBe(en('cli.userCreate.usage'));
    const missing = script('userCreate', ['--username', 'wang'], env());
    expect(missing).toMatchObject({ status: 1, stderr: `xiangxin: ${zh('cli.userCreate.usage')}` });
    expect(script('userCreate', ['--username', 'wang'], env(), 'en_US.UTF-8')).toMatchObject({ status: 1, stderr: `xiangxin: ${en('cli.userCreate.usage')}` });

    const create = (lang?: string) => script('userCreate', ['--username', 'wang.li', '--role', 'admin', '--region', '4114', '--password', 'Wheat-harvest-2026!'], env(), lang);
    expect(create()).toMatchObject({ status: 0, stdout: zh('cli.userCreate.done', { role: 'admin', username: 'wang.li', region: '4114' }) });
    expect(create('en_US.UTF-8')).toMatchObject({ status: 1, stderr: `xiangxin: username: ${en('validation.username.unavailable')}` });
    expect(create()).toMatchObject({ status: 1, stderr: `xiangxin: username: ${zh('validation.username.unavailable')}` });
  });

  it('db:migrate and db:seed report in either language', () => {
    const path = tmp.file('cli.sqlite');
    expect(script('dbMigrate', [], env())).toMatchObject({ status: 0, stdout: zh('cli.migrate.upToDate', { path }) });
    expect(script('dbMigrate', [], env(), 'en_US.UTF-8')).toMatchObject({ status: 0, stdout: en('cli.migrate.upToDate', { path }) });
    expect(script('dbSeed', [], env(), 'en')).toMatchObject({ status: 0, stdout: en('cli.seed.upToDate', { path }) });
  });

  it('a password given twice is refused in the operator language', () => {
    const run = script('userPasswd', ['--username', 'wang.li', '--password', 'x', '--password-stdin'], env(), 'en_US.UTF-8');
    expect(run).toMatchObject({ status: 1, stderr: `xiangxin: ${en('cli.password.both')}` });
  });
});
