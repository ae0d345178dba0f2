/**
 * Staff group robots per region (企业微信 group robot, DingTalk robot), from ROBOTS:
 * `REGION=CHANNEL:URL[#SECRET];…`, e.g.
 * `4114=wecom:https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…;411402=dingtalk:https://oapi.dingtalk.com/robot/send?access_token=…#SEC…`.
 * A region may have one robot of each kind; the secret is DingTalk's signing secret.
 */
import { ConfigEntryError } from '../validation/configEntry.ts';
export const ROBOT_CHANNELS = ['wecom', 'dingtalk'] as const;
export type RobotChannel = (typeof ROBOT_CHANNELS)[number];

export interface Robot {
  regionCode: string;
  channel: RobotChannel;
  url: string;
  /** DingTalk's signing secret (`SEC…`); absent for 企业微信 and unsigned DingTalk robots. */
  secret?: string;
}

const ENTRY = /^(\d{4}|\d{6}|\d{9}|\d{12})=(wecom|dingtalk):(https?:\/\/[^\s#]+)(?:#(\S+))?$/;

export function parseRobots(raw: string | undefined): Robot[] {
  const robots: Robot[] = [];
  for (const entry of (raw ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const match = ENTRY.exec(entry);
    if (!match || !URL.canParse(match[3]!)) throw new ConfigEntryError('ROBOTS', entry);
    const robot: Robot = { regionCode: match[1]!, channel: match[2] as RobotChannel, url: match[3]! };
    if (match[4]) robot.secret = match[4];
    if (robots.some((r) => r.regionCode === robot.regionCode && r.channel === robot.channel)) throw new ConfigEntryError('ROBOTS', entry);
    robots.push(robot);
  }
  return robots;
}
