/**
 * A short, recognisable name for the browser behind a User-Agent ("Chrome 126 · Android"), for the
 * list of one's sessions. Deliberately coarse: it only has to let a person tell their phone from
 * the office computer, and anything unrecognised shows as an unknown device.
 */

/** Checked in order: in-app browsers and Chromium derivatives name themselves before "Chrome". */
const BROWSERS: readonly [name: string, pattern: RegExp][] = [
  ['WeChat', /MicroMessenger\/(\d+)/],
  ['DingTalk', /DingTalk\/(\d+)/],
  ['QQ Browser', /MQQBrowser\/(\d+)|QQBrowser\/(\d+)/],
  ['UC Browser', /UCBrowser\/(\d+)/],
  ['Quark', /Quark\/(\d+)/],
  ['Huawei Browser', /HuaweiBrowser\/(\d+)/],
  ['Edge', /Edg(?:e|A|iOS)?\/(\d+)/],
  ['Opera', /OPR\/(\d+)/],
  ['Firefox', /(?:Firefox|FxiOS)\/(\d+)/],
  ['Chrome', /(?:Chrome|CriOS)\/(\d+)/],
  ['Safari', /Version\/(\d+)[^ ]* (?:Mobile\/\S+ )?Safari\//],
];

const SYSTEMS: readonly [name: string, pattern: RegExp][] = [
  ['HarmonyOS', /HarmonyOS|OpenHarmony/],
  ['Android', /Android/],
  ['iPhone', /iPhone/],
  ['iPad', /iPad/],
  ['Windows', /Windows/],
  ['macOS', /Mac OS X|Macintosh/],
  ['ChromeOS', /CrOS/],
  ['Linux', /Linux/],
];

/** "Browser major · system", either part left out when unknown; '' when neither is known. */
export function deviceSummary(userAgent: string): string {
  const browser = BROWSERS.find(([, pattern]) => pattern.test(userAgent));
  const match = browser?.[1].exec(userAgent);
  const version = match?.slice(1).find((v) => v !== undefined);
  const system = SYSTEMS.find(([, pattern]) => pattern.test(userAgent));
  return [browser && `${browser[0]}${version ? ` ${version}` : ''}`, system?.[0]].filter(Boolean).join(' · ');
}
