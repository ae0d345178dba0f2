import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it, vi } from 'vitest';
import { projectRoot } from '../../../src/lib/db/index.ts';
import { many, one, stmt } from '../../../src/lib/db/statements.ts';

function fruitDb(): Database.Database {
  const db = new Database(':memory:');
  db.exec("CREATE TABLE fruit (id INTEGER PRIMARY KEY, name TEXT NOT NULL); INSERT INTO fruit (name) VALUES ('梨'), ('桃'), ('枣')");
  return db;
}

describe('one and many', () => {
  it('read the first row, or undefined when there is none', () => {
    const db = fruitDb();
    expect(one<{ id: number; name: string }>(db, 'SELECT id, name FROM fruit WHERE name = ?', '桃')).toEqual({ id: 2, name: '桃' });
    expect(one<{ id: number }>(db, 'SELECT id FROM fruit WHERE name = ?', '杏')).toBeUndefined();
  });

  it('read every row in the order the SQL gives, or an empty list', () => {
    const db = fruitDb();
    expect(many<{ name: string }>(db, 'SELECT name FROM fruit WHERE id >= ? ORDER BY id DESC', 2)).toEqual([{ name: '枣' }, { name: '桃' }]);
    expect(many<{ name: string }>(db, 'SELECT name FROM fruit WHERE id > ?', 3)).toEqual([]);
  });

  it('prepare each SQL text once per connection', () => {
    const first = fruitDb();
    const second = fruitDb();
    const prepares = vi.spyOn(first, 'prepare');
    const sql = 'SELECT count(*) AS n FROM fruit WHERE id > ?';
    expect(one<{ n: number }>(first, sql, 0)?.n).toBe(3);
    expect(many<{ n: number }>(first, sql, 1)).toEqual([{ n: 2 }]);
    expect(stmt(first, sql)).toBe(stmt(first, sql));
    expect(prepares).toHaveBeenCalledTimes(1);
    // Another connection has statements of its own.
    expect(stmt(second, sql)).not.toBe(stmt(first, sql));
  });
});

/** Every `x.get(...) as T` / `x.all(...) as T[]` in a file: a row shape asserted at the call. */
function rowCasts(file: string): number[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const lines: number[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isAsExpression(node)) {
      let inner = node.expression;
      while (ts.isParenthesizedExpression(inner)) inner = inner.expression;
      if (ts.isCallExpression(inner) && ts.isPropertyAccessExpression(inner.expression) && ['get', 'all'].includes(inner.expression.name.text)) {
        lines.push(source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return lines;
}

describe('typed rows', () => {
  it('come from one/many: no module under src/lib casts a .get() or .all() result itself', () => {
    const lib = join(projectRoot(), 'src', 'lib');
    const helpers = join(lib, 'db', 'statements.ts');
    const found = readdirSync(lib, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.ts'))
      .map((name) => join(lib, name))
      .filter((file) => file !== helpers)
      .flatMap((file) => rowCasts(file).map((line) => `${relative(projectRoot(), file)}:${line}`));
    expect(found).toEqual([]);
  });
});
