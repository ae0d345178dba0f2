import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { zhCN } from '../../../src/i18n/messages/zh-CN.ts';
import { projectRoot } from '../../../src/lib/config.ts';
import { KIND_NAMES, MESSAGE_KINDS } from '../../../src/lib/messages/outbox.ts';

/** The rows of docs/MESSAGES.md's template table, as cells. */
function templateRows(): string[][] {
  const doc = readFileSync(join(projectRoot(), 'docs', 'MESSAGES.md'), 'utf8');
  const lines = doc.split('\n');
  const header = lines.findIndex((line) => line.startsWith('| kind | urgent | variables |'));
  expect(header).toBeGreaterThan(0);
  const rows: string[][] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

describe("docs/MESSAGES.md's template table", () => {
  it('lists every message kind once, with its urgency, its variables in order and the catalogue text as Aliyun and Tencent templates', () => {
    const rows = templateRows();
    expect(rows.map(([kind]) => kind)).toEqual(KIND_NAMES.map((kind) => `\`${kind}\``));
    for (const [kindCell, urgent, variables, aliyun, tencent] of rows) {
      const kind = KIND_NAMES.find((k) => `\`${k}\`` === kindCell)!;
      const spec = MESSAGE_KINDS[kind];
      const vars: readonly string[] = spec.vars;
      const text = zhCN[`message.body.${kind}`];
      expect(urgent, kind).toBe(spec.urgent ? 'yes' : 'no');
      expect(variables, kind).toBe(vars.map((v) => `\`${v}\``).join(', '));
      expect(aliyun, kind).toBe(text.replace(/\{(\w+)\}/g, (_, v: string) => `\${${v}}`));
      expect(tencent, kind).toBe(text.replace(/\{(\w+)\}/g, (_, v: string) => `{${vars.indexOf(v) + 1}}`));
    }
  });
});
