import { z } from 'zod';
import { REPORT_CATEGORIES } from './types.ts';

// A checkbox: present ("on") when ticked, absent otherwise.
export const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean());

export const reportSchema = z.object({
  title: z.string().trim().min(4, 'validation.report.titleLength').max(80, 'validation.report.titleLength'),
  category: z.enum(REPORT_CATEGORIES, 'validation.report.category'),
  bodyMd: z.string().trim().min(10, 'validation.report.bodyLength').max(20_000, 'validation.tooLong'),
  regionCode: z.string().regex(/^\d{4,12}$/, 'validation.report.region'),
  urgent: checkbox,
  // The topic request answered (requests.ts); the form's "none" is an empty value.
  requestId: z.preprocess(
    (v) => (v === '' || v === undefined ? undefined : v),
    z.coerce.number('validation.request.notForUnit').int('validation.request.notForUnit').positive('validation.request.notForUnit').optional(),
  ),
});

export type ReportInput = z.output<typeof reportSchema>;

export const adoptSchema = z.object({
  comment: z.string().trim().max(500, 'validation.tooLong').default(''),
});

export const returnSchema = z.object({
  reason: z.string().trim().min(2, 'validation.report.reason').max(500, 'validation.tooLong'),
});
