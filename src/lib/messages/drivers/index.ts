/** The driver of each channel, as the settings choose them. */
import { config, type SmsDriverName } from '../../config.ts';
import type { Channel } from '../outbox.ts';
import { aliyunDriver } from './aliyun.ts';
import { emailDriver } from './email.ts';
import { httpDriver } from './http.ts';
import { logDriver } from './log.ts';
import { robotDriver } from './robots.ts';
import { tencentDriver } from './tencent.ts';
import type { Driver } from './types.ts';

export type Drivers = Record<Channel, Driver>;

const SMS: Record<SmsDriverName, () => Driver> = {
  log: () => logDriver,
  aliyun: aliyunDriver,
  tencent: tencentDriver,
  http: httpDriver,
};

export function createDrivers(): Drivers {
  return { sms: SMS[config().SMS_DRIVER](), wecom: robotDriver('wecom'), dingtalk: robotDriver('dingtalk'), email: emailDriver() };
}
