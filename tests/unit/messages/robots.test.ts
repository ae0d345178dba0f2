import { describe, expect, it } from 'vitest';
import { translator } from '../../../src/i18n/index.ts';
import { ConfigError, parseConfig } from '../../../src/lib/config.ts';

describe('ROBOTS', () => {
  it('reads one robot of each kind per region, with DingTalk secrets', () => {
    const { ROBOTS } = parseConfig({
      ROBOTS:
        ' 4114=wecom:https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc ; 411402=dingtalk:https://oapi.dingtalk.com/robot/send?access_token=t#SECxyz;4114=dingtalk:http://127.0.0.1:9/robot',
    });
    expect(ROBOTS).toEqual([
      { regionCode: '4114', channel: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc' },
      { regionCode: '411402', channel: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=t', secret: 'SECxyz' },
      { regionCode: '4114', channel: 'dingtalk', url: 'http://127.0.0.1:9/robot' },
    ]);
    expect(parseConfig({}).ROBOTS).toEqual([]);
  });

  it.each([['4114=slack:https://x.example/'], ['41=wecom:https://x.example/'], ['4114=wecom:ftp://x.example/'], ['4114=wecom:https://a.example/;4114=wecom:https://b.example/']])(
    'refuses %s naming the entry',
    (raw) => {
      let error: unknown;
      try {
        parseConfig({ ROBOTS: raw, LANG: 'en' });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const entry = raw.split(';').at(-1)!;
      expect((error as ConfigError).message).toBe(translator('en')('cli.config.robots', { name: 'ROBOTS', entry }));
    },
  );
});
