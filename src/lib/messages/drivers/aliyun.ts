/** Alibaba Cloud SMS (dysmsapi 2017-05-25 SendSms) through its official SDK. */
import { createRequire } from 'node:module';
import { config } from '../../config.ts';
import { templateCode } from './templates.ts';
import { type Driver, outId, SendFailure } from './types.ts';

const require = createRequire(import.meta.url);

export function aliyunDriver(): Driver {
  // Loaded only when chosen (the SDK costs some 45 MB). It is CommonJS with its client as
  // `exports.default`, which Node's ESM import would not hand over: required as what it is.
  const aliyun: typeof import('@alicloud/dysmsapi20170525') = require('@alicloud/dysmsapi20170525');
  const core: typeof import('@alicloud/openapi-core') = require('@alicloud/openapi-core');
  const settings = config();
  const endpoint = new URL(settings.ALIYUN_SMS_ENDPOINT);
  const client = new aliyun.default(
    new core.$OpenApiUtil.Config({
      accessKeyId: settings.ALIYUN_SMS_ACCESS_KEY_ID,
      accessKeySecret: settings.ALIYUN_SMS_ACCESS_KEY_SECRET,
      endpoint: endpoint.host,
      protocol: endpoint.protocol.slice(0, -1),
      readTimeout: settings.MESSAGE_SEND_TIMEOUT_MS,
      connectTimeout: settings.MESSAGE_SEND_TIMEOUT_MS,
    }),
  );
  return {
    async send(message) {
      const request = new aliyun.SendSmsRequest({
        phoneNumbers: message.recipient,
        signName: settings.SMS_SIGN_NAME,
        templateCode: templateCode(message.kind),
        templateParam: JSON.stringify(message.params),
        outId: outId(message.idemKey),
      });
      let body: { code?: string; message?: string; bizId?: string; requestId?: string } | undefined;
      try {
        body = (await client.sendSms(request)).body;
      } catch (err) {
        // Transport errors and HTTP errors: the SDK throws; nothing says the text went out.
        throw new SendFailure(`aliyun: ${err instanceof Error ? err.message : String(err)}`, { retryable: true });
      }
      const answer = JSON.stringify({ Code: body?.code, Message: body?.message, BizId: body?.bizId, RequestId: body?.requestId });
      // Code is OK or names why not (isv.BUSINESS_LIMIT_CONTROL: the provider's rate limit, …).
      if (body?.code !== 'OK' || !body.bizId) throw new SendFailure(`aliyun: ${body?.code ?? 'no code'} ${body?.message ?? ''}`.trim(), { retryable: true, answer });
      return { providerId: body.bizId, answer };
    },
  };
}
