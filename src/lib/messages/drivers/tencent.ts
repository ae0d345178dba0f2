/** Tencent Cloud SMS (2021-01-11 SendSms) through its official SDK. */
import { createRequire } from 'node:module';
import { config } from '../../config.ts';
import { orderedParams, templateCode } from './templates.ts';
import { type Driver, outId, SendFailure } from './types.ts';

const require = createRequire(import.meta.url);

export function tencentDriver(): Driver {
  // Loaded only when chosen, like every provider's SDK.
  const { sms }: typeof import('tencentcloud-sdk-nodejs-sms') = require('tencentcloud-sdk-nodejs-sms');
  const settings = config();
  const endpoint = new URL(settings.TENCENT_SMS_ENDPOINT);
  const client = new sms.v20210111.Client({
    credential: { secretId: settings.TENCENT_SMS_SECRET_ID, secretKey: settings.TENCENT_SMS_SECRET_KEY },
    region: settings.TENCENT_SMS_REGION,
    profile: {
      httpProfile: {
        endpoint: endpoint.host,
        protocol: `${endpoint.protocol}//`,
        reqTimeout: Math.max(1, Math.ceil(settings.MESSAGE_SEND_TIMEOUT_MS / 1000)),
      },
    },
  });
  return {
    async send(message) {
      const request = {
        PhoneNumberSet: [`+86${message.recipient}`],
        SmsSdkAppId: settings.TENCENT_SMS_APP_ID!,
        SignName: settings.SMS_SIGN_NAME,
        TemplateId: templateCode(message.kind),
        TemplateParamSet: orderedParams(message.kind, message.params),
        SessionContext: outId(message.idemKey),
      };
      let result: Awaited<ReturnType<typeof client.SendSms>>;
      try {
        result = await client.SendSms(request);
      } catch (err) {
        // HTTP errors, timeouts and request-level errors (Error.Code): the SDK throws.
        const code = err instanceof Error && 'code' in err && err.code ? `${String(err.code)} ` : '';
        throw new SendFailure(`tencent: ${code}${err instanceof Error ? err.message : String(err)}`, { retryable: true });
      }
      const status = result.SendStatusSet?.[0];
      const answer = JSON.stringify({ SendStatusSet: result.SendStatusSet, RequestId: result.RequestId });
      // Each number has its own Code: Ok, or why not (LimitExceeded.PhoneNumberDailyLimit, …).
      if (status?.Code !== 'Ok' || !status.SerialNo) throw new SendFailure(`tencent: ${status?.Code ?? 'no status'} ${status?.Message ?? ''}`.trim(), { retryable: true, answer });
      return { providerId: status.SerialNo, answer };
    },
  };
}
