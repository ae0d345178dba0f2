import { toLocalInput } from '../../src/lib/trainings/schemas.ts';
import { R } from './fixtures.ts';

const DAY = 86_400_000;

/**
 * The form fields of a training session open for sign-up: it starts in ten days, lasts `hours`,
 * and sign-up closes in five days. As county staff type them in /admin/trainings/new.
 */
export function sessionFields(over: { title: string; capacity: number; topic?: string; hours?: number; countyCode?: string }, now = Date.now()): Record<string, string> {
  const startsAt = now + 10 * DAY;
  return {
    countyCode: over.countyCode ?? R.county,
    title: over.title,
    topic: over.topic ?? '测试',
    location: '',
    startsAt: toLocalInput(startsAt),
    endsAt: toLocalInput(startsAt + (over.hours ?? 2) * 3600_000),
    signupDeadline: toLocalInput(now + 5 * DAY),
    capacity: String(over.capacity),
    descriptionMd: '',
  };
}
