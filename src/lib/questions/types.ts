import type { StoredImage } from '../media/images.ts';

/** 种植, 养殖, 农机, 市场销售, 政策补贴, 其他: also an expert's specialties. */
export const QUESTION_CATEGORIES = ['planting', 'livestock', 'machinery', 'market', 'policy', 'other'] as const;
export type QuestionCategory = (typeof QUESTION_CATEGORIES)[number];

/** open: waiting for an answer; review: answered, waiting for release; answered: released. */
export const QUESTION_STATUSES = ['open', 'review', 'answered', 'merged', 'spam'] as const;
export type QuestionStatus = (typeof QUESTION_STATUSES)[number];

export const QUESTION_EVENT_KINDS = ['asked', 'forwarded', 'assigned', 'answered', 'returned', 'released', 'merged', 'spam', 'edited', 'faq'] as const;
export type QuestionEventKind = (typeof QUESTION_EVENT_KINDS)[number];

export interface Question {
  id: number;
  code: string;
  phone: string;
  villageCode: string;
  category: QuestionCategory;
  title: string;
  body: string;
  publicTitle: string;
  publicBody: string;
  consent: boolean;
  filedBy: string | null;
  holderCode: string;
  expertId: string | null;
  expertName: string;
  status: QuestionStatus;
  answerMd: string;
  answeredBy: string | null;
  answerUnit: string | null;
  answerSigned: boolean;
  answererName: string;
  answeredAt: number | null;
  mergedInto: number | null;
  articleId: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface QuestionEvent {
  id: number;
  kind: QuestionEventKind;
  levelCode: string;
  at: number;
  actorName: string;
  comment: string;
}

export interface QuestionDetail extends Question {
  photos: StoredImage[];
  answerPhotos: StoredImage[];
  events: QuestionEvent[];
}

export function isQuestionCategory(value: unknown): value is QuestionCategory {
  return typeof value === 'string' && (QUESTION_CATEGORIES as readonly string[]).includes(value);
}
