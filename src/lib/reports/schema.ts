import { z } from 'zod';
import { REPORT_CATEGORIES } from './types.ts';

export const reportSchema = z.object({
  title: z.string().trim().min(4, 'validation.report.titleLength').max(80, 'validation.report.titleLength'),
  category: z.enum(REPORT_CATEGORIES, 'validation.report.category'),
  bodyMd: z.string().trim().min(10, 'validation.report.bodyLength').max(20_000, 'validation.tooLong'),
  regionCode: z.string().regex(/^\d{4,12}$/, 'validation.report.region'),
  // A checkbox: present ("on") when ticked, absent otherwise.
  urgent: z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean()),
});

export type ReportInput = z.output<typeof reportSchema>;

export const adoptSchema = z.object({
  comment: z.string().trim().max(500, 'validation.tooLong').default(''),
});

export const returnSchema = z.object({
  reason: z.string().trim().min(2, 'validation.report.reason').max(500, 'validation.tooLong'),
});
