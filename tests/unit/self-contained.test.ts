// The repository stands on its own: no file points at a document that is not in it (a notes
// file kept elsewhere, a tracker's issue number), and every Markdown page it links or names
// exists. Figures cite their original publication and docs/sources.md instead.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'data']);

/** Tracked files (git ls-files); outside a git checkout, every file but build output and data. */
function repoFiles(): string[] {
  try {
    const out = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out.split('\0').filter((f) => f !== '' && existsSync(join(ROOT, f)));
  } catch {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
        const rel = dir ? `${dir}/${e.name}` : e.name;
        if (e.isDirectory()) { if (!SKIP_DIRS.has(e.name)) walk(rel); } else if (e.isFile()) files.push(rel);
      }
    };
    walk('');
    return files;
  }
}

function text(file: string): string | null {
  const path = join(ROOT, file);
  if (!statSync(path).isFile()) return null;
  const s = readFileSync(path, 'utf8');
  return s.includes('\0') ? null : s;
}

// Built from pieces so that this file does not match its own patterns.
const OUTSIDE_DOCUMENTS: readonly { readonly what: string; readonly re: RegExp }[] = [
  { what: 'a notes file kept outside the repository', re: new RegExp(`\\b${'domain'}\\.md\\b`, 'i') },
  { what: 'notes kept outside the repository', re: new RegExp(`design[- ]${'notes'}`, 'i') },
  { what: 'a path outside the repository', re: new RegExp(`/work/${'shared'}`) },
  { what: 'a path outside the repository', re: new RegExp(`\\.\\./${'shared'}\\b`) },
  { what: 'an issue number (say what the thing is instead)', re: new RegExp(`\\b${'issue'}s?\\s*#?\\s*\\d+`, 'i') },
];

const files = repoFiles();
const texts = new Map<string, string>();
for (const f of files) {
  const t = text(f);
  if (t !== null) texts.set(f, t);
}

describe('the repository is self-contained', () => {
  it('finds the tracked files', () => {
    expect(files).toContain('README.md');
    expect(files).toContain('docs/sources.md');
  });

  it('names no document that is not in the repository (outside docs/)', () => {
    const found: string[] = [];
    for (const [file, t] of texts) {
      if (file.startsWith('docs/') || file === 'package-lock.json') continue;
      t.split('\n').forEach((line, i) => {
        for (const { what, re } of OUTSIDE_DOCUMENTS) {
          if (re.test(line)) found.push(`${file}:${i + 1}: ${what}: ${line.trim().slice(0, 120)}`);
        }
      });
    }
    expect(found).toEqual([]);
  });

  it('links only Markdown pages that exist (README.md, docs/*.md)', () => {
    const pages = [...texts.keys()].filter((f) => f === 'README.md' || /^docs\/[^/]+\.md$/.test(f));
    expect(pages.length).toBeGreaterThan(1);
    const broken: string[] = [];
    for (const page of pages) {
      const t = texts.get(page) ?? '';
      for (const m of t.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = (m[1] ?? '').split('#')[0] ?? '';
        if (target === '' || /^[a-z][a-z0-9+.-]*:/i.test(target) || !target.endsWith('.md')) continue;
        const resolved = posix.normalize(posix.join(posix.dirname(page), target));
        if (!existsSync(join(ROOT, resolved))) broken.push(`${page}: (${m[1]}) → ${resolved}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('names only docs/*.md pages that exist, anywhere', () => {
    const missing: string[] = [];
    for (const [file, t] of texts) {
      if (file === 'package-lock.json') continue;
      for (const m of t.matchAll(/(?<![\w/.-])docs\/([\w.-]+\.md)\b/g)) {
        if (!existsSync(join(ROOT, 'docs', m[1] ?? ''))) missing.push(`${file}: docs/${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('cites only sections of docs/sources.md that exist', () => {
    const headings = new Set((texts.get('docs/sources.md') ?? '').split('\n')
      .filter((l) => l.startsWith('#')).map((l) => l.replace(/^#+\s*/, '').trim()));
    const missing: string[] = [];
    for (const [file, t] of texts) {
      for (const m of t.matchAll(/docs\/sources\.md,? "([^"]+)"/g)) {
        const section = (m[1] ?? '').replace(/\s*\n\s*(?:\/\/|\*)?\s*/g, ' '); // a quote wrapped across comment lines
        if (!headings.has(section) && !headings.has(section.split(':')[0] ?? '')) missing.push(`${file}: "${section}"`);
      }
    }
    expect(missing).toEqual([]);
  });
});
