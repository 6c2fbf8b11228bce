// No hard-coded UI text in the console: every .tsx under web/src is parsed with the TypeScript compiler and
// its JSX checked for words people would read — text between tags, string literals shown as children, and
// string values of user-visible attributes — that do not come from the message catalogs. A literal that is a
// message key (ComingSoonPage title="nav.customers") is fine: the component looks it up.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CATALOGS } from '../web/src/i18n/catalogs.ts';

const WEB_SRC = path.resolve(import.meta.dirname, '../web/src');

/** Attributes whose value people see or hear: the HTML/ARIA ones and our components' text props. */
const VISIBLE_ATTRIBUTES = new Set([
  'aria-label',
  'aria-description',
  'aria-roledescription',
  'aria-placeholder',
  'aria-valuetext',
  'title',
  'placeholder',
  'alt',
  'label',
  // Components of this console that render a prop as text.
  'hint',
  'empty',
  'submitLabel',
  'currentLabel',
]);

/**
 * Deliberate exceptions, each with its reason. Empty today: keep it that way unless a text truly is the same
 * in every language and cannot live in a constant outside JSX.
 */
const ALLOWED: { file: string; text: string; why: string }[] = [];

const KEYS = new Set(Object.keys(CATALOGS.en));
const hasLetters = (s: string) => /\p{L}/u.test(s);

interface Finding {
  file: string;
  line: number;
  what: string;
  text: string;
}

/**
 * String literals an expression shows as they are: through conditionals, logical operators, concatenation,
 * parentheses and template literals, but not into calls (t('key') reads the catalog) or other values.
 */
function shownLiterals(node: ts.Expression): { node: ts.Node; text: string }[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
    return [{ node, text: node.text }];
  if (ts.isTemplateExpression(node))
    return [
      { node: node.head, text: node.head.text },
      ...node.templateSpans.map((s) => ({ node: s.literal, text: s.literal.text })),
    ];
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node))
    return shownLiterals(node.expression);
  if (ts.isConditionalExpression(node))
    return [...shownLiterals(node.whenTrue), ...shownLiterals(node.whenFalse)];
  if (ts.isBinaryExpression(node)) {
    const op = node.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return shownLiterals(node.right);
    if (
      op === ts.SyntaxKind.BarBarToken ||
      op === ts.SyntaxKind.QuestionQuestionToken ||
      op === ts.SyntaxKind.PlusToken
    )
      return [...shownLiterals(node.left), ...shownLiterals(node.right)];
  }
  return [];
}

function findHardCodedText(file: string, source: string): Finding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const findings: Finding[] = [];
  const report = (node: ts.Node, what: string, text: string) => {
    const value = text.replace(/\s+/g, ' ').trim();
    if (!hasLetters(value) || KEYS.has(value)) return;
    findings.push({
      file,
      line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1,
      what,
      text: value,
    });
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) report(node, 'JSX text', node.text);
    else if (ts.isJsxExpression(node) && node.expression && !ts.isJsxAttribute(node.parent)) {
      for (const lit of shownLiterals(node.expression)) report(lit.node, 'JSX child', lit.text);
    } else if (ts.isJsxAttribute(node)) {
      const name = node.name.getText(sf);
      const init = node.initializer;
      if (VISIBLE_ATTRIBUTES.has(name) && init) {
        if (ts.isStringLiteral(init)) report(init, `${name}=`, init.text);
        else if (ts.isJsxExpression(init) && init.expression)
          for (const lit of shownLiterals(init.expression)) report(lit.node, `${name}=`, lit.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return findings;
}

function tsxFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return tsxFiles(full);
    return e.name.endsWith('.tsx') ? [full] : [];
  });
}

describe('no hard-coded UI text in the console', () => {
  it('finds what it should in a sample, and nothing it should not', () => {
    const sample = `
      export function Sample({ t, ok, n }) {
        return (
          <div title="Hello" aria-label={ok ? 'Yes' : t('common.close')} className="not-text">
            Hi there {'Raw words'} {\`Count \${n}\`}
            <Field label="Name" hint={ok && 'Typed here'} placeholder={t('common.save')} />
            <ComingSoon title="nav.customers" />
            {ok ? ' ▲' : ' ▼'} {n} · {t('app.name')} {/* a comment */}
            <img alt={"Logo"} src="/logo.svg" />
          </div>
        );
      }`;
    const found = findHardCodedText('Sample.tsx', sample).map((f) => `${f.what} ${f.text}`);
    expect(found).toEqual([
      'title= Hello',
      'aria-label= Yes',
      'JSX text Hi there',
      'JSX child Raw words',
      'JSX child Count',
      'label= Name',
      'hint= Typed here',
      'alt= Logo',
    ]);
  });

  it('every .tsx under web/src takes its text from the message catalogs', () => {
    const files = tsxFiles(WEB_SRC);
    expect(files.length).toBeGreaterThan(20);
    const findings = files
      .flatMap((file) => findHardCodedText(path.relative(WEB_SRC, file), fs.readFileSync(file, 'utf8')))
      .filter((f) => !ALLOWED.some((a) => a.file === f.file && a.text === f.text));
    expect(findings.map((f) => `${f.file}:${f.line} ${f.what} "${f.text}"`)).toEqual([]);
  });
});
