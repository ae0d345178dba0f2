import { z } from 'zod';
import { canonicalPhone, PHONE_MAX_CHARS } from '../validation/phone.ts';
import { CODE_PATTERN } from './codes.ts';

/** Topics other than prices; price topics are one per chosen commodity. */
export const PLAIN_TOPICS = ['training', 'notice', 'alert'] as const;
export type PlainTopic = (typeof PLAIN_TOPICS)[number];

/** More commodities than any price board lists is a probe, not a choice. */
export const MAX_COMMODITIES = 60;

/** Only a mobile receives SMS: a landline the phone rules accept elsewhere is refused here. */
export const mobileSchema = z
  .string()
  .trim()
  .max(PHONE_MAX_CHARS, 'validation.subscription.phone')
  .transform((v, ctx) => {
    const phone = canonicalPhone(v);
    if (phone === undefined || !/^1[3-9]\d{9}$/.test(phone)) ctx.addIssue({ code: 'custom', message: 'validation.subscription.phone' });
    return phone ?? '';
  });

export const codeSchema = z.string().trim().regex(CODE_PATTERN, 'validation.subscription.codeFormat');

const villageSchema = z.string().regex(/^\d{12}$/, 'validation.subscription.village');

/** What a subscription covers, as the form posts it (repeated checkboxes). */
export const choiceSchema = z
  .object({
    villageCode: villageSchema,
    topics: z.array(z.enum(PLAIN_TOPICS, { message: 'validation.subscription.topic' })).max(PLAIN_TOPICS.length, 'validation.subscription.topic'),
    commodities: z
      .array(
        z
          .string()
          .regex(/^\d{1,9}$/, 'validation.subscription.commodity')
          .transform(Number),
      )
      .max(MAX_COMMODITIES, 'validation.subscription.commodity'),
  })
  .refine((v) => v.topics.length + v.commodities.length > 0, { message: 'validation.subscription.noTopic', path: ['topics'] });
export type Choice = z.output<typeof choiceSchema>;

export const requestSchema = z.object({ phone: mobileSchema }).and(choiceSchema);
export const confirmSchema = z.object({ phone: mobileSchema, code: codeSchema }).and(choiceSchema);
export const manageRequestSchema = z.object({ phone: mobileSchema });
export const manageCodeSchema = z.object({ phone: mobileSchema, code: codeSchema });
