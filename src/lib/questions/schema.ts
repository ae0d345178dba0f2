import { z } from 'zod';
import { phoneSchema } from '../validation/phone.ts';
import { QUESTION_CATEGORIES } from './types.ts';

const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean());

export const askSchema = z.object({
  phone: phoneSchema,
  villageCode: z.string().regex(/^\d{12}$/, 'validation.question.village'),
  category: z.enum(QUESTION_CATEGORIES, 'validation.question.category'),
  title: z.string().trim().min(4, 'validation.question.titleLength').max(60, 'validation.question.titleLength'),
  body: z.string().trim().min(10, 'validation.question.bodyLength').max(4000, 'validation.question.bodyLength'),
  consent: checkbox,
});
export type AskInput = z.output<typeof askSchema>;

export const answerSchema = z.object({
  answerMd: z.string().trim().min(10, 'validation.question.answerLength').max(20_000, 'validation.tooLong'),
  // Ticked: the answer shows the person's name, not only their unit.
  signed: checkbox,
});

export const noteSchema = z.object({
  note: z.string().trim().min(2, 'validation.question.note').max(500, 'validation.tooLong'),
});

export const assignSchema = z.object({
  expertId: z.string().trim().min(1, 'validation.question.expert').max(64, 'validation.question.expert'),
});

export const mergeSchema = z.object({
  into: z
    .string()
    .trim()
    .regex(/^\d{1,12}$/, 'validation.question.mergeTarget')
    .transform(Number),
});

export const editSchema = z.object({
  publicTitle: z.string().trim().min(4, 'validation.question.titleLength').max(60, 'validation.question.titleLength'),
  publicBody: z.string().trim().min(10, 'validation.question.bodyLength').max(4000, 'validation.question.bodyLength'),
});
