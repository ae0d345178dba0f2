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
