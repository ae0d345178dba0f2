import type { TrainingSession } from './sessions.ts';

/** China has had no daylight saving time since 1991, so one STANDARD block describes the zone. */
const VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Asia/Shanghai',
  'BEGIN:STANDARD',
  'DTSTART:19700101T000000',
  'TZOFFSETFROM:+0800',
  'TZOFFSETTO:+0800',
  'TZNAME:CST',
  'END:STANDARD',
  'END:VTIMEZONE',
];

const ICS_STATUS = { scheduled: 'CONFIRMED', cancelled: 'CANCELLED', completed: 'CONFIRMED' } as const;

/** Control characters TEXT may not hold (RFC 5545 §3.3.11); tab is allowed, line breaks are escaped. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * RFC 5545 TEXT escaping. Every line break becomes `\n`, a bare CR too: a raw CR would end the
 * content line for some readers and let the value start a property of its own.
 */
function text(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(CONTROL, '');
}

/** Local China time as an iCalendar DATE-TIME (used with TZID=Asia/Shanghai). */
function localTime(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().replace(/[-:]/g, '').slice(0, 15);
}

function utcTime(ms: number): string {
  return `${new Date(ms).toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;
}

/** Folds a content line at 75 octets without splitting a UTF-8 character. */
function fold(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    if (octets + size > (parts.length ? 74 : 75)) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

function event(session: TrainingSession, origin: string, host: string): string[] {
  const url = `${origin}/trainings/${session.id}`;
  const description = [session.topic, session.trainer, session.cancelNote, url].filter(Boolean).join('\n');
  return [
    'BEGIN:VEVENT',
    `UID:training-${session.id}@${host}`,
    `DTSTAMP:${utcTime(session.updatedAt)}`,
    `DTSTART;TZID=Asia/Shanghai:${localTime(session.startsAt)}`,
    `DTEND;TZID=Asia/Shanghai:${localTime(session.endsAt)}`,
    `SUMMARY:${text(session.title)}`,
    `LOCATION:${text(session.place)}`,
    `DESCRIPTION:${text(description)}`,
    `URL:${url}`,
    `STATUS:${ICS_STATUS[session.status]}`,
    'END:VEVENT',
  ];
}

/** An iCalendar file of `sessions`; `origin` (e.g. https://example.org) makes the links absolute. */
export function calendar(sessions: TrainingSession[], name: string, origin: string): string {
  const host = new URL(origin).hostname;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Xiangxin//Trainings//ZH',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${text(name)}`,
    'X-WR-TIMEZONE:Asia/Shanghai',
    ...VTIMEZONE,
    ...sessions.flatMap((s) => event(s, origin, host)),
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}

export function icsResponse(body: string, filename: string): Response {
  return new Response(body, {
    headers: {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
    },
  });
}
