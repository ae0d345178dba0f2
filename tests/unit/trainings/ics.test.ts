import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { calendar } from '../../../src/lib/trainings/ics.ts';
import type { TrainingSession } from '../../../src/lib/trainings/sessions.ts';

const session = (over: Partial<TrainingSession> = {}): TrainingSession => ({
  id: 7,
  countyCode: '411421',
  countyName: '民权县',
  title: '葡萄栽培技术, 第一期; 入门',
  topic: '果树管理',
  descriptionMd: '',
  trainer: '李老师',
  location: '',
  place: '民权县农民信息培训基地 县城农业服务中心三楼培训室，靠近汽车站，请带身份证和笔记本，现场提供茶水',
  startsAt: Date.parse('2026-12-01T09:00:00+08:00'),
  endsAt: Date.parse('2026-12-01T11:30:00+08:00'),
  capacity: 40,
  signupDeadline: Date.parse('2026-11-30T18:00:00+08:00'),
  status: 'scheduled',
  cancelNote: '',
  confirmed: 0,
  waitlisted: 0,
  updatedAt: Date.parse('2026-11-20T02:00:00Z'),
  ...over,
});

function parse(text: string) {
  const root = new ICAL.Component(ICAL.parse(text));
  for (const tz of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  return { root, events: root.getAllSubcomponents('vevent').map((e) => new ICAL.Event(e)) };
}

describe('iCalendar output', () => {
  it('parses with ical.js and keeps Asia/Shanghai times exact', () => {
    const text = calendar([session(), session({ id: 8, status: 'cancelled', cancelNote: '因天气取消' })], '民权县农民培训', 'http://127.0.0.1:4321');
    const { root, events } = parse(text);
    expect(root.getFirstPropertyValue('version')).toBe('2.0');
    expect(events).toHaveLength(2);
    const [first, second] = events;
    expect(first!.summary).toBe('葡萄栽培技术, 第一期; 入门');
    expect(first!.location).toBe(session().place);
    expect(first!.uid).toBe('training-7@127.0.0.1');
    expect(first!.component.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('Asia/Shanghai');
    expect(first!.startDate.zone?.tzid).toBe('Asia/Shanghai');
    expect(first!.startDate.toUnixTime() * 1000).toBe(session().startsAt);
    expect(first!.endDate.toUnixTime() * 1000).toBe(session().endsAt);
    expect(first!.description).toContain('http://127.0.0.1:4321/trainings/7');
    expect(second!.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(second!.description).toContain('因天气取消');
  });

  it('ends lines with CRLF and folds them at 75 octets without breaking characters', () => {
    const text = calendar([session()], 'x', 'https://example.org');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(text).toContain('\r\n ');
  });
});

describe('iCalendar text values with line breaks and control characters', () => {
  const injected = '第一期\rEND:VEVENT\rBEGIN:VEVENT\rUID:forged@evil.example\rSUMMARY:假冒';
  const hostile = session({
    title: injected,
    place: '三楼\r\n会议室\n东侧\r后门',
    trainer: `李老师\u0000\u0007\u001b\u007f\t王老师`,
    topic: '🌾'.repeat(40),
  });

  it('leaves no CR or LF that is not part of a CRLF line end, and no other control character', () => {
    const text = calendar([hostile], '民权县\r农民培训', 'https://example.org');
    expect(text).not.toMatch(/\r(?!\n)|(?<!\r)\n/);
    expect(text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
  });

  it('keeps every line within 75 octets, also for four-byte characters', () => {
    const text = calendar([hostile], 'x', 'https://example.org');
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  });

  it('reads back, in ical.js, as one event whose values hold the line breaks as text', () => {
    const { root, events } = parse(calendar([hostile], '民权县\r农民培训', 'https://example.org'));
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event!.uid).toBe('training-7@example.org');
    expect(event!.summary).toBe(injected.replace(/\r/g, '\n'));
    expect(event!.location).toBe('三楼\n会议室\n东侧\n后门');
    expect(event!.description).toContain('李老师\t王老师');
    expect(event!.description).toContain('🌾'.repeat(40));
    // ical.js keeps an X- property as written: the break is the escape, not a raw CR.
    expect(root.getFirstPropertyValue('x-wr-calname')).toBe('民权县\\n农民培训');
  });
});
