import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/** Every `x.transaction(fn)` in a file not started with an explicit BEGIN mode (`.immediate()`, `.deferred()`). */
function unmarkedTransactions(file: string): number[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const lines: number[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'transaction') {
      const parent = node.parent;
      const marked = ts.isPropertyAccessExpression(parent) && ['immediate', 'deferred', 'exclusive'].includes(parent.name.text);
      if (!marked) lines.push(source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return lines;
}

function libFiles(except: string[] = []): string[] {
  const lib = join(projectRoot(), 'src', 'lib');
  return readdirSync(lib, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(lib, name))
    .filter((file) => !except.includes(file));
}

describe('write transactions', () => {
  it('take the write lock when they begin: a deferred one that reads first fails at once when another worker wrote meanwhile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xiangxin-tx-'));
    const open = () => {
      const db = new Database(join(dir, 'x.sqlite'));
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 2000');
      return db;
    };
    const first = open();
    const second = open();
    first.exec('CREATE TABLE counter (n INTEGER NOT NULL); INSERT INTO counter VALUES (0)');
    const bump = (db: Database.Database, between: () => void) => () => {
      const { n } = db.prepare<[], { n: number }>('SELECT n FROM counter').get()!;
      between();
      db.prepare('UPDATE counter SET n = ?').run(n + 1);
    };
    const otherWorkerWrites = () => second.prepare('UPDATE counter SET n = n + 10').run();
    // Deferred: the read takes a snapshot, the other worker commits, the upgrade to a writer fails
    // with SQLITE_BUSY_SNAPSHOT without waiting (the busy timeout cannot help): a 5xx in a page.
    expect(() => first.transaction(bump(first, otherWorkerWrites))()).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY_SNAPSHOT' }));
    // Immediate: the transaction holds the write lock from BEGIN; the other worker is the one that
    // waits (here, in the same thread, it cannot, and gives up after its timeout) and nothing is lost.
    second.pragma('busy_timeout = 0');
    expect(() => first.transaction(bump(first, () => expect(otherWorkerWrites).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }))))
      .immediate()).not.toThrow();
    expect(second.prepare<[], { n: number }>('SELECT n FROM counter').get()!.n).toBe(11);
    first.close();
    second.close();
    rmSync(dir, { recursive: true });
  });

  it('so every transaction under src/lib says how it begins: .immediate() for writes, .deferred() for a read-only snapshot', () => {
    const found = libFiles().flatMap((file) => unmarkedTransactions(file).map((line) => `${relative(projectRoot(), file)}:${line}`));
    expect(found).toEqual([]);
  });
});

describe('typed rows', () => {
  it('come from one/many: no module under src/lib casts a .get() or .all() result itself', () => {
    const found = libFiles([join(projectRoot(), 'src', 'lib', 'db', 'statements.ts')])
      .flatMap((file) => rowCasts(file).map((line) => `${relative(projectRoot(), file)}:${line}`));
    expect(found).toEqual([]);
  });
});
