import type { StoredImage } from '../media/images.ts';

/** 工作动态, 社情民意, 农情灾情, 市场动态, 经验做法. */
export const REPORT_CATEGORIES = ['work', 'opinion', 'disaster', 'market', 'practice'] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];

/** pending: waiting at its holder; adopted: adopted there (it may still be forwarded); returned: sent back. */
export const REPORT_STATUSES = ['pending', 'adopted', 'returned'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const EVENT_KINDS = ['submitted', 'adopted', 'forwarded', 'returned', 'acknowledged', 'published'] as const;
export type ReportEventKind = (typeof EVENT_KINDS)[number];

export interface Attachment {
  sha256: string;
  filename: string;
  mime: string;
  bytes: number;
}

export interface Report {
  id: number;
  title: string;
  bodyMd: string;
  category: ReportCategory;
  urgent: boolean;
  regionCode: string;
  authorId: string | null;
  authorName: string;
  /** The author's unit when filing (for a department, the region owning it). */
  authorRegion: string;
  /** The department (report_units) that filed it; null for a region's own report. */
  unitId: number | null;
  /** The level (township, county or city) holding the report now. */
  holderCode: string;
  status: ReportStatus;
  articleId: number | null;
  createdAt: number;
  updatedAt: number;
  /** A phone report (phone.ts): when its written version is due, and when it was attached (null until then). */
  writtenDueAt: number | null;
  writtenAt: number | null;
  /** The topic request (requests.ts) this report answers. */
  requestId: number | null;
}

export interface ReportDetail extends Report {
  photos: StoredImage[];
  attachments: Attachment[];
  events: ReportEvent[];
}

export interface ReportEvent {
  id: number;
  kind: ReportEventKind;
  levelCode: string;
  at: number;
  actorName: string;
  comment: string;
}
